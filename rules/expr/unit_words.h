// SPDX-License-Identifier: Apache-2.0
// How the lexer recognises a unit after a number: `28 °C`, `50kW`, `3 m3/h`, `80 %`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle::rules::expr {

/// The length in bytes of the unit-like word at `pos`, 0 if there is none. A word starts with a
/// letter, '°' or '%' and goes on with letters, digits, '°', '³', and '/' before a letter:
/// "Cel", "°C", "m3/h", "%RH". A '%' alone is a word only where it ends an operand (see
/// percent_is_unit), since `7 % 3` is a remainder.
std::size_t unit_word_length(std::string_view source, std::size_t pos);

/// Whether the '%' at `pos`, just after a number, is the unit rather than the remainder: it is
/// when what follows cannot be the right side of `%` (the end, ')', ']', ',', a comparison,
/// 'and', 'or', '&&', '||').
bool percent_is_unit(std::string_view source, std::size_t pos);

/// The unit a misspelt unit word most likely meant ("kw" -> "kW", "degC" -> "Cel"), if any.
std::optional<std::string> unit_suggestion(std::string_view word);

}  // namespace passerelle::rules::expr
