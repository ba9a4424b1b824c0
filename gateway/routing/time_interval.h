// SPDX-License-Identifier: Apache-2.0
// Named calendars of local hours ("ccas-bureau": Monday to Friday, 08:30 to 17:30, public
// holidays excepted), read in the territory's time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"
#include "gateway/core/time_zone.h"
#include "gateway/routing/public_holidays.h"

namespace passerelle::routing {

/// Minutes of a local day, [start, end): 08:30-17:30 is {510, 1050}; end 1440 is midnight.
struct DayRange {
    int start_minute = 0;
    int end_minute = 1440;
};

struct TimeInterval {
    std::string id;
    std::uint8_t weekdays = 0x7f;  // bit d-1 for ISO weekday d (1 = Monday)
    std::vector<DayRange> hours;   // empty: the whole day
    /// Public holidays of this calendar are outside the interval.
    std::optional<HolidayCalendar> except_holidays;
    SourceSpan span;

    bool contains(Timestamp t, const TimeZone& zone) const;
    /// The first instant after `t` at which contains() changes, looking 16 days ahead (a
    /// closed fortnight at most: Christmas to New Year falls well within it); none if it never
    /// changes within them.
    std::optional<Timestamp> next_change(Timestamp t, const TimeZone& zone) const;
};

/// "monday", "mon", or a French day name ("lundi"): ISO 1..7.
std::optional<int> parse_weekday(std::string_view name);
/// "08:30-17:30" (end "24:00" for midnight); the end after the start.
std::optional<DayRange> parse_day_range(std::string_view text);

}  // namespace passerelle::routing
