// SPDX-License-Identifier: Apache-2.0
#include "rules/template/text_format.h"

#include <array>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace passerelle::rules {
namespace {

constexpr std::string_view kDirectives = "dmYHMSABZ%";

constexpr std::array<std::string_view, 7> kWeekdays{"lundi",    "mardi",  "mercredi", "jeudi",
                                                    "vendredi", "samedi", "dimanche"};
constexpr std::array<std::string_view, 12> kMonths{"janvier",   "février", "mars",     "avril",
                                                   "mai",       "juin",    "juillet",  "août",
                                                   "septembre", "octobre", "novembre", "décembre"};

void append_directive(std::string& out, char directive, const LocalTime& local) {
    switch (directive) {
        case 'd':
            out += fmt::format("{:02}", local.day);
            break;
        case 'm':
            out += fmt::format("{:02}", local.month);
            break;
        case 'Y':
            out += fmt::format("{:04}", local.year);
            break;
        case 'H':
            out += fmt::format("{:02}", local.hour);
            break;
        case 'M':
            out += fmt::format("{:02}", local.minute);
            break;
        case 'S':
            out += fmt::format("{:02}", local.second);
            break;
        case 'A':
            out += kWeekdays.at(static_cast<std::size_t>(local.weekday - 1));
            break;
        case 'B':
            out += kMonths.at(static_cast<std::size_t>(local.month - 1));
            break;
        case 'Z':
            out += local.abbreviation;
            break;
        default:  // '%%': the others were refused when the template loaded
            out += directive;
            break;
    }
}

}  // namespace

std::string duration_in_words(double seconds) {
    // Beyond a billion years the value is no duration anyone measured: printed as a number.
    constexpr double kLongest = 3.15e16;
    if (!std::isfinite(seconds) || std::abs(seconds) > kLongest) {
        return fmt::format("{}", seconds);
    }
    auto rest = static_cast<std::int64_t>(std::floor(std::abs(seconds)));
    std::string out = seconds < 0 && rest > 0 ? "-" : "";
    struct Unit {
        std::string_view name;
        std::int64_t seconds;
    };
    constexpr std::array<Unit, 4> kUnits{{{"j", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}}};
    for (std::size_t i = 0; i < kUnits.size(); ++i) {
        const std::int64_t count = rest / kUnits[i].seconds;
        if (count == 0 && i + 1 < kUnits.size()) {
            continue;
        }
        out += fmt::format("{} {}", count, kUnits[i].name);
        // The next unit, when it counts: "2 h 15 min", but "2 h" rather than "2 h 0 min".
        rest -= count * kUnits[i].seconds;
        if (i + 1 < kUnits.size() && rest / kUnits[i + 1].seconds > 0) {
            out += fmt::format(" {} {}", rest / kUnits[i + 1].seconds, kUnits[i + 1].name);
        }
        break;
    }
    return out;
}

std::string format_local(Timestamp t, const TimeZone& zone, std::string_view pattern) {
    const LocalTime local = zone.local_time(t);
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size()) {
            append_directive(out, pattern[++i], local);
        } else {
            out += pattern[i];
        }
    }
    return out;
}

std::optional<std::size_t> unknown_directive(std::string_view pattern) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%') {
            continue;
        }
        if (i + 1 == pattern.size() || kDirectives.find(pattern[i + 1]) == std::string_view::npos) {
            return i;
        }
        ++i;
    }
    return std::nullopt;
}

}  // namespace passerelle::rules
