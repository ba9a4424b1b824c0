// SPDX-License-Identifier: Apache-2.0
// The canonical reading: one value of one quantity of one entity, from one provider, at its own time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gateway/core/time.h"

namespace passerelle {

/// A reading's value: a number (SenML `v`), a boolean (`vb`) or a string (`vs`).
using Value = std::variant<double, bool, std::string>;

struct Reading {
    std::string provider;  // the party that owns the data: "bailleur-sud", "ville"
    std::string entity;    // the entity id in the registry: "logt-0412", or a signal name
    std::string quantity;  // "temperature", "canicule-level"
    Value value = 0.0;
    std::string unit;  // SenML registry symbol ("Cel"), empty for dimensionless values
    Timestamp time;
};

/// A reading's field by the name rules and templates use: entity, provider, quantity, unit, value.
std::optional<Value> reading_field(const Reading& reading, std::string_view name);

/// "21.5", "true", "\"rouge\"": how a value prints in messages and logs.
std::string format_value(const Value& value);

}  // namespace passerelle
