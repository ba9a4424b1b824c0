// SPDX-License-Identifier: Apache-2.0
// The value types of the expression language and the input slots that carry them.
#pragma once

#include <cstdint>
#include <string_view>

namespace passerelle::rules::expr {

/// Every expression has one of these types, known at compile time.
enum class Type : std::uint8_t { Number, Bool, String };

/// An input of a compiled program: the caller provides the value of slot `index` at evaluation.
struct Slot {
    std::uint32_t index = 0;
    Type type = Type::Number;

    bool operator==(const Slot&) const = default;
};

/// "number", "true/false", "string": how a type is named in messages for rule authors.
std::string_view type_name(Type type);

/// "a number", "a true/false value", "a string": a type as the subject or object of a sentence.
std::string_view type_phrase(Type type);

}  // namespace passerelle::rules::expr
