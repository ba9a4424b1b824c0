// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/local_date.h"

#include <charconv>

namespace passerelle {
namespace {

std::optional<int> digits(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<Timestamp> local_midnight(std::string_view date, const TimeZone& zone,
                                        int days_after) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
        return std::nullopt;
    }
    const auto year = digits(date.substr(0, 4));
    const auto month = digits(date.substr(5, 2));
    const auto day = digits(date.substr(8, 2));
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
        return std::nullopt;
    }
    // to_utc normalises 02-30 into March: read the day back to refuse it.
    const Timestamp start = zone.to_utc(*year, *month, *day, 0, 0, 0);
    const LocalTime local = zone.local_time(start);
    if (local.year != *year || local.month != *month || local.day != *day) {
        return std::nullopt;
    }
    return days_after == 0 ? start : zone.to_utc(*year, *month, *day + days_after, 0, 0, 0);
}

}  // namespace passerelle
