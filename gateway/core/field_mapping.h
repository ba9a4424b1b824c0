// SPDX-License-Identifier: Apache-2.0
// The declarative mapping of a JSON message's fields to readings, as the configuration states it:
// the JSON connector's `values` and a LoRaWAN device's `fields` share it (connectors/json reads
// messages with it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "gateway/core/diagnostic.h"
#include "gateway/core/json_pointer.h"

namespace passerelle {

/// Where a name (an entity, a quantity) comes from: written in the configuration, a level of the
/// message's topic, or a text member of the message.
struct TextSource {
    enum class Kind { Constant, TopicSegment, Pointer };
    Kind kind = Kind::Constant;
    std::string constant;
    std::size_t segment = 0;  // topic levels counted from 0
    JsonPointer pointer;
};

/// One value of a record to one reading: value = number * scale + offset, in `unit`.
struct FieldSpec {
    TextSource quantity;
    JsonPointer pointer;
    std::string unit;                         // a SenML unit, or empty (dimensionless)
    std::optional<JsonPointer> unit_pointer;  // the unit is in the message instead
    double scale = 1.0;
    double offset = 0.0;
    bool optional = false;  // an absent or null member gives no reading and no error
    SourceSpan span;
};

}  // namespace passerelle
