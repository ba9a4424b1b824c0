// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/rfc3339.h"

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace passerelle {
namespace {

std::optional<int> digits_at(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// The offset east of UTC of "Z", "+02:00", "-05:30"; empty when malformed.
std::optional<std::chrono::minutes> zone_offset(std::string_view zone) {
    if (zone == "Z" || zone == "z") {
        return std::chrono::minutes(0);
    }
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
        return std::nullopt;
    }
    const auto hours = digits_at(zone, 1, 2);
    const auto minutes = digits_at(zone, 4, 2);
    if (!hours || !minutes || *hours > 23 || *minutes > 59) {
        return std::nullopt;
    }
    const std::chrono::minutes offset(*hours * 60 + *minutes);
    return zone[0] == '+' ? offset : -offset;
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
    const auto year = digits_at(text, 0, 4);
    const auto month = digits_at(text, 5, 2);
    const auto day = digits_at(text, 8, 2);
    const auto hour = digits_at(text, 11, 2);
    const auto minute = digits_at(text, 14, 2);
    const auto second = digits_at(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' ||
        text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
        text[16] != ':' || *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(*year),
                                           std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    std::size_t at = 19;
    std::int64_t micros = 0;
    if (at < text.size() && text[at] == '.') {
        std::int64_t scale = 100000;
        const std::size_t first = ++at;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
            micros += (text[at] - '0') * scale;  // digits past the sixth have scale 0: truncated
            scale /= 10;
        }
        if (at == first) {
            return std::nullopt;
        }
    }
    const auto offset = zone_offset(text.substr(at));
    if (!offset) {
        return std::nullopt;
    }
    const Timestamp local = std::chrono::time_point_cast<Duration>(std::chrono::sys_days(date)) +
                            std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
                            std::chrono::seconds(*second) + Duration(micros);
    const Timestamp utc = local - *offset;
    const auto earliest = Timestamp(Duration(0));
    const auto latest = std::chrono::time_point_cast<Duration>(
        std::chrono::sys_days(std::chrono::year(10000) / 1 / 1));
    if (utc < earliest || utc >= latest) {
        return std::nullopt;
    }
    return utc;
}

}  // namespace passerelle
