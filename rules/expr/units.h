// SPDX-License-Identifier: Apache-2.0
// The units a number may carry in an expression (`50 kW`, `28 °C`), and conversions between them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::rules::expr {

/// An index into units().
using UnitId = std::uint8_t;

/// Units convert into each other only within one dimension.
enum class Dimension : std::uint8_t { Temperature, Percentage, Volume, Flow, Power, Energy, Count };

struct UnitInfo {
    std::string_view symbol;  // the SenML symbol where there is one: "Cel", "kW", "m3/s"
    Dimension dimension;
    // In the dimension's base unit: base = number * scale + offset. Scales are whole numbers,
    // so that converting 60000 W into kW (60000 * 1 / 1000) is exact.
    double scale;
    double offset;
};

/// Every unit, canonical symbols only.
std::span<const UnitInfo> units();

/// The unit written `symbol`: a canonical symbol, or an alias people type ("°C", "m³").
/// Case matters, as in SenML: "kW" is a unit, "KW" is not. Cheap enough for every reading: a
/// pass over a few dozen short strings, without allocation.
std::optional<UnitId> find_unit(std::string_view symbol);

/// `number`, in unit `from`, expressed in unit `to`; nullopt when their dimensions differ.
std::optional<double> convert(double number, UnitId from, UnitId to);

/// "a temperature", "a power": the dimension as the object of a sentence.
std::string_view dimension_phrase(Dimension dimension);

/// The symbols rule authors may write, aliases included, for "did you mean" suggestions.
std::vector<std::string> unit_spellings();

/// "50 for kW, 50000 for W": `number` in `unit` written in each unit of its dimension, for
/// messages asking for a plain number in the unit the readings carry.
std::string equivalents(double number, UnitId unit);

}  // namespace passerelle::rules::expr
