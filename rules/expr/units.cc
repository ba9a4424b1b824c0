// SPDX-License-Identifier: Apache-2.0
// The unit table: the territory's canonical SenML units, with what each one converts into.
#include "rules/expr/units.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace passerelle::rules::expr {
namespace {

// Base units: kelvin, percent, litre, litre per hour, watt, watt-hour, count. Flows are based on
// the litre per hour so that every flow unit has a whole scale.
constexpr auto kUnits = std::to_array<UnitInfo>({
    {"Cel", Dimension::Temperature, 1.0, 273.15},
    {"K", Dimension::Temperature, 1.0, 0.0},
    // Relative humidity and battery level are percentages too: `80 %` reads a humidity in %RH.
    {"%", Dimension::Percentage, 1.0, 0.0},
    {"%RH", Dimension::Percentage, 1.0, 0.0},
    {"%EL", Dimension::Percentage, 1.0, 0.0},
    {"l", Dimension::Volume, 1.0, 0.0},
    {"m3", Dimension::Volume, 1000.0, 0.0},
    {"l/h", Dimension::Flow, 1.0, 0.0},
    {"l/min", Dimension::Flow, 60.0, 0.0},
    {"l/s", Dimension::Flow, 3600.0, 0.0},
    {"m3/h", Dimension::Flow, 1000.0, 0.0},
    {"m3/s", Dimension::Flow, 3600000.0, 0.0},
    {"W", Dimension::Power, 1.0, 0.0},
    {"kW", Dimension::Power, 1000.0, 0.0},
    {"Wh", Dimension::Energy, 1.0, 0.0},
    {"kWh", Dimension::Energy, 1000.0, 0.0},
    {"count", Dimension::Count, 1.0, 0.0},
});

struct Alias {
    std::string_view spelling;
    std::string_view symbol;
};

// What people type where SenML has an ASCII symbol.
constexpr std::array<Alias, 4> kAliases{{
    {"\u00b0C", "Cel"},
    {"m\u00b3", "m3"},
    {"m\u00b3/h", "m3/h"},
    {"m\u00b3/s", "m3/s"},
}};

std::optional<UnitId> find_symbol(std::string_view symbol) {
    for (std::size_t i = 0; i < kUnits.size(); ++i) {
        if (kUnits[i].symbol == symbol) {
            return static_cast<UnitId>(i);
        }
    }
    return std::nullopt;
}

}  // namespace

std::span<const UnitInfo> units() {
    return kUnits;
}

std::optional<UnitId> find_unit(std::string_view symbol) {
    if (const auto id = find_symbol(symbol)) {
        return id;
    }
    for (const auto& [spelling, canonical] : kAliases) {
        if (spelling == symbol) {
            return find_symbol(canonical);
        }
    }
    return std::nullopt;
}

std::optional<double> convert(double number, UnitId from, UnitId to) {
    if (from == to) {
        return number;  // exactly: 28 Cel through kelvins could come back as 27.999…
    }
    const UnitInfo& source = kUnits[from];
    const UnitInfo& target = kUnits[to];
    if (source.dimension != target.dimension) {
        return std::nullopt;
    }
    if (source.offset == target.offset) {
        return number * source.scale / target.scale;
    }
    return (number * source.scale + source.offset - target.offset) / target.scale;
}

std::string_view dimension_phrase(Dimension dimension) {
    switch (dimension) {
        case Dimension::Temperature:
            return "a temperature";
        case Dimension::Percentage:
            return "a percentage";
        case Dimension::Volume:
            return "a volume";
        case Dimension::Flow:
            return "a flow";
        case Dimension::Power:
            return "a power";
        case Dimension::Energy:
            return "an energy";
        case Dimension::Count:
            return "a count";
    }
    return "?";
}

std::vector<std::string> unit_spellings() {
    std::vector<std::string> spellings;
    for (const UnitInfo& unit : kUnits) {
        spellings.emplace_back(unit.symbol);
    }
    for (const Alias& alias : kAliases) {
        spellings.emplace_back(alias.spelling);
    }
    return spellings;
}

std::string equivalents(double number, UnitId unit) {
    std::string out;
    for (std::size_t i = 0; i < kUnits.size(); ++i) {
        const auto converted = convert(number, unit, static_cast<UnitId>(i));
        if (converted) {
            out +=
                fmt::format("{}{} for {}", out.empty() ? "" : ", ", *converted, kUnits[i].symbol);
        }
    }
    return out;
}

}  // namespace passerelle::rules::expr
