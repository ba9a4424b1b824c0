// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/reading.h"

#include <fmt/format.h>

namespace passerelle {

std::optional<Value> reading_field(const Reading& reading, std::string_view name) {
    if (name == "entity") {
        return reading.entity;
    }
    if (name == "provider") {
        return reading.provider;
    }
    if (name == "quantity") {
        return reading.quantity;
    }
    if (name == "unit") {
        return reading.unit;
    }
    if (name == "value") {
        return reading.value;
    }
    return std::nullopt;
}

std::string format_value(const Value& value) {
    if (const auto* number = std::get_if<double>(&value)) {
        return fmt::format("{}", *number);
    }
    if (const auto* flag = std::get_if<bool>(&value)) {
        return *flag ? "true" : "false";
    }
    return std::get<std::string>(value);
}

}  // namespace passerelle
