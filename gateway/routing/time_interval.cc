// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/time_interval.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace passerelle::routing {
namespace {

struct DayName {
    std::string_view english;
    std::string_view abbreviation;
    std::string_view french;
};

constexpr std::array<DayName, 7> kDays{{{"monday", "mon", "lundi"},
                                        {"tuesday", "tue", "mardi"},
                                        {"wednesday", "wed", "mercredi"},
                                        {"thursday", "thu", "jeudi"},
                                        {"friday", "fri", "vendredi"},
                                        {"saturday", "sat", "samedi"},
                                        {"sunday", "sun", "dimanche"}}};

std::optional<int> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    int hours = 0;
    int minutes = 0;
    const auto h = std::from_chars(text.data(), text.data() + 2, hours);
    const auto m = std::from_chars(text.data() + 3, text.data() + 5, minutes);
    if (h.ptr != text.data() + 2 || m.ptr != text.data() + 5 || minutes > 59 || hours > 24 ||
        (hours == 24 && minutes != 0)) {
        return std::nullopt;
    }
    return hours * 60 + minutes;
}

}  // namespace

std::optional<int> parse_weekday(std::string_view name) {
    for (std::size_t i = 0; i < kDays.size(); ++i) {
        if (name == kDays[i].english || name == kDays[i].abbreviation || name == kDays[i].french) {
            return static_cast<int>(i) + 1;
        }
    }
    return std::nullopt;
}

std::optional<DayRange> parse_day_range(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto start = parse_clock(text.substr(0, dash));
    const auto end = parse_clock(text.substr(dash + 1));
    if (!start || !end || *end <= *start) {
        return std::nullopt;
    }
    return DayRange{*start, *end};
}

bool TimeInterval::contains(Timestamp t, const TimeZone& zone) const {
    const LocalTime local = zone.local_time(t);
    if ((weekdays & (1U << static_cast<unsigned>(local.weekday - 1))) == 0) {
        return false;
    }
    if (except_holidays && public_holiday(*except_holidays, local.year, local.month, local.day)) {
        return false;
    }
    if (hours.empty()) {
        return true;
    }
    const int minute = local.hour * 60 + local.minute;
    return std::any_of(hours.begin(), hours.end(), [minute](const DayRange& range) {
        return minute >= range.start_minute && minute < range.end_minute;
    });
}

// The interval can only change at a local midnight or at a range's bounds: those instants of
// the coming days are tried in order.
std::optional<Timestamp> TimeInterval::next_change(Timestamp t, const TimeZone& zone) const {
    constexpr int kDaysAhead = 16;
    const bool now_inside = contains(t, zone);
    const LocalTime local = zone.local_time(t);
    std::vector<Timestamp> candidates;
    for (int day = 0; day <= kDaysAhead; ++day) {
        candidates.push_back(zone.to_utc(local.year, local.month, local.day + day, 0, 0, 0));
        for (const DayRange& range : hours) {
            for (const int minute : {range.start_minute, range.end_minute}) {
                candidates.push_back(zone.to_utc(local.year, local.month, local.day + day,
                                                 minute / 60, minute % 60, 0));
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    for (const Timestamp candidate : candidates) {
        if (candidate > t && contains(candidate, zone) != now_inside) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace passerelle::routing
