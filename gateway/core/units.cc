// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/units.h"

#include <algorithm>
#include <array>
#include <utility>

namespace passerelle {
namespace {

// The SenML units registry: RFC 8428 §12.1 plus the secondary units of RFC 8798 that the
// territory's meters need (l, l/s, kWh, kW, Wh, %RH, %EL...).
constexpr auto kUnits = std::to_array<std::string_view>({
    "m",     "kg",      "g",      "s",     "A",      "K",      "cd",     "mol",   "Hz",
    "rad",   "sr",      "N",      "Pa",    "J",      "W",      "C",      "V",     "F",
    "Ohm",   "S",       "Wb",     "T",     "H",      "Cel",    "lm",     "lx",    "Bq",
    "Gy",    "Sv",      "kat",    "m2",    "m3",     "l",      "m/s",    "m/s2",  "m3/s",
    "l/s",   "W/m2",    "cd/m2",  "bit",   "bit/s",  "lat",    "lon",    "pH",    "dB",
    "dBW",   "Bspl",    "count",  "/",     "%",      "%RH",    "%EL",    "EL",    "1/s",
    "1/min", "beat/min", "beats", "S/m",   "B",      "VA",     "VAs",    "var",   "vars",
    "J/m",   "kg/m3",   "deg",    "NTU",   "ms",     "min",    "h",      "MHz",   "kW",
    "kVA",   "kvar",    "Ah",     "Wh",    "kWh",    "varh",   "kvarh",  "kVAh",  "Wh/km",
    "KiB",   "GB",      "Mbit/s", "B/s",   "MB/s",   "mV",     "mA",     "dBm",   "ug/m3",
    "mm/h",  "m/h",     "ppm",
});

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kHints{{
    {"m3/h", "m3/s (divide by 3600) or l/s: the registry has no m3/h"},
    {"°C", "Cel"},
    {"degC", "Cel"},
    {"celsius", "Cel"},
    {"kwh", "kWh"},
    {"KWh", "kWh"},
    {"kw", "kW"},
    {"L", "l"},
    {"RH", "%RH"},
    {"%rh", "%RH"},
}};

}  // namespace

bool is_senml_unit(std::string_view unit) {
    return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

std::optional<std::string> senml_unit_hint(std::string_view unit) {
    for (const auto& [written, hint] : kHints) {
        if (written == unit) {
            return std::string(hint);
        }
    }
    return std::nullopt;
}

}  // namespace passerelle
