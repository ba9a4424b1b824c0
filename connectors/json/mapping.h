// SPDX-License-Identifier: Apache-2.0
// One `connectors: json:` entry: which topics it reads, and how a message's records become
// readings of registry entities.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/field_mapping.h"
#include "gateway/core/json_pointer.h"

namespace passerelle::connectors::json {

enum class TimeFormat {
    Rfc3339,           // "2026-07-14T12:00:00Z", any offset, any fractional digits
    UnixSeconds,       // 1784030400, fractions allowed
    UnixMilliseconds,  // 1784030400000
};

/// Where a record's time is; without it the readings are dated by the message's reception.
struct TimeSpec {
    JsonPointer pointer;
    TimeFormat format = TimeFormat::Rfc3339;
};

struct Mapping {
    std::vector<std::string> topics;  // MQTT filters
    TextSource entity;                // must name an entity of the registry
    /// An array of objects, each a record; absent: the whole message is one record.
    std::optional<JsonPointer> records;
    std::optional<TimeSpec> time;
    std::vector<FieldSpec> values;
    SourceSpan span;
};

}  // namespace passerelle::connectors::json
