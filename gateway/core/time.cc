// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/time.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "gateway/core/rfc3339.h"

namespace passerelle {
namespace {

constexpr double kMaxEpochSeconds = 253402300799.0;  // 9999-12-31T23:59:59Z
// Longer durations are mistakes in practice, and the bound keeps every sum far from overflow.
constexpr Duration kMaxDuration = std::chrono::days(366 * 100);

struct DurationUnit {
    std::string_view suffix;
    Duration length;
};

// Longest suffixes first so that "min" and "ms" are not read as "m".
constexpr std::array<DurationUnit, 7> kDurationUnits{{
    {"min", std::chrono::minutes(1)},
    {"ms", std::chrono::milliseconds(1)},
    {"w", std::chrono::weeks(1)},
    {"d", std::chrono::days(1)},
    {"h", std::chrono::hours(1)},
    {"m", std::chrono::minutes(1)},
    {"s", std::chrono::seconds(1)},
}};


}  // namespace

std::optional<Timestamp> timestamp_from_epoch_seconds(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0.0 || seconds > kMaxEpochSeconds) {
        return std::nullopt;
    }
    return Timestamp(Duration(static_cast<std::int64_t>(std::llround(seconds * 1e6))));
}

double to_epoch_seconds(Timestamp t) {
    return static_cast<double>(t.time_since_epoch().count()) / 1e6;
}

std::string format_utc(Timestamp t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(hms.subseconds());
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                                  static_cast<unsigned>(ymd.month()),
                                  static_cast<unsigned>(ymd.day()), hms.hours().count(),
                                  hms.minutes().count(), hms.seconds().count());
    if (millis.count() != 0) {
        out += fmt::format(".{:03}", millis.count());
    }
    out += 'Z';
    return out;
}

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    Duration total{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t number = 0;
        const std::size_t digits_start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
            if (number > kMaxDuration.count()) {
                return std::nullopt;
            }
            number = number * 10 + (text[pos] - '0');
            ++pos;
        }
        if (pos == digits_start) {
            return std::nullopt;
        }
        const DurationUnit* unit = nullptr;
        for (const auto& candidate : kDurationUnits) {
            if (text.substr(pos, candidate.suffix.size()) == candidate.suffix) {
                unit = &candidate;
                break;
            }
        }
        if (unit == nullptr) {
            return std::nullopt;
        }
        pos += unit->suffix.size();
        if (number > (kMaxDuration - total) / unit->length) {
            return std::nullopt;
        }
        total += unit->length * number;
    }
    return total;
}

std::string format_duration(Duration d) {
    if (d.count() == 0) {
        return "0s";
    }
    std::string out;
    if (d < Duration(0)) {
        out += '-';
        d = -d;
    }
    // Whole days, hours, minutes, seconds, then milliseconds: the units people read.
    constexpr std::array<DurationUnit, 5> kParts{{
        {"d", std::chrono::days(1)},
        {"h", std::chrono::hours(1)},
        {"min", std::chrono::minutes(1)},
        {"s", std::chrono::seconds(1)},
        {"ms", std::chrono::milliseconds(1)},
    }};
    for (const auto& part : kParts) {
        const auto count = d / part.length;
        if (count > 0) {
            out += fmt::format("{}{}", count, part.suffix);
            d -= part.length * count;
        }
    }
    if (d.count() > 0) {
        out += fmt::format("{}us", d.count());
    }
    return out;
}

std::optional<Timestamp> parse_utc(std::string_view text) {
    // RFC 3339 narrowed: 'T' and 'Z' in capitals, no offset, no leap second, microseconds at most.
    if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z' || text.substr(17, 2) == "60") {
        return std::nullopt;
    }
    const std::string_view fraction = text.substr(19, text.size() - 20);
    if (!fraction.empty() && (fraction.size() < 2 || fraction.size() > 7)) {
        return std::nullopt;
    }
    return parse_rfc3339(text);
}

}  // namespace passerelle
