// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/reading.h"

#include <fmt/format.h>

namespace passerelle {

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
