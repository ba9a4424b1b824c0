// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/time_interval.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "rules/compiler/window_spec.h"

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
    // The rules read hours of the day the same way; a calendar's range stays within its day.
    const auto range = rules::parse_day_range(text);
    const int end = range && range->to == 0 ? 24 * 60 : (range ? range->to : 0);  // 24:00
    if (!range || end <= range->from) {
        return std::nullopt;
    }
    return DayRange{range->from, end};
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
