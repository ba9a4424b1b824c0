// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/time_interval.h"

#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.h"

namespace passerelle::routing {
namespace {

Timestamp instant(const char* text) {
    return *parse_rfc3339(text);
}

TimeZone paris() {
    return *TimeZone::load("Europe/Paris");
}

// Monday to Friday, 08:30 to 17:30, French public holidays excepted.
TimeInterval office() {
    TimeInterval interval;
    interval.id = "ccas-bureau";
    interval.weekdays = 0x1f;
    interval.hours = {*parse_day_range("08:30-17:30")};
    interval.except_holidays = HolidayCalendar::France;
    return interval;
}

}  // namespace

TEST_CASE("an office-hours interval in Paris time", "[routing]") {
    const auto zone = paris();
    const TimeInterval interval = office();
    CHECK(interval.contains(instant("2026-07-15T06:30:00Z"), zone));        // Wednesday 08:30 CEST
    CHECK_FALSE(interval.contains(instant("2026-07-15T06:29:59Z"), zone));  // 08:29:59
    CHECK(interval.contains(instant("2026-07-15T15:29:00Z"), zone));        // 17:29
    CHECK_FALSE(interval.contains(instant("2026-07-15T15:30:00Z"), zone));  // 17:30: closed
    CHECK_FALSE(interval.contains(instant("2026-07-18T10:00:00Z"), zone));  // Saturday
    CHECK_FALSE(interval.contains(instant("2026-07-14T10:00:00Z"), zone));  // Fête nationale
    CHECK(interval.contains(instant("2026-01-05T08:00:00Z"), zone));        // 09:00 CET in winter
    CHECK_FALSE(interval.contains(instant("2026-01-05T07:00:00Z"), zone));  // 08:00 CET
}

TEST_CASE("the next change of an interval crosses nights, weekends and holidays", "[routing]") {
    const auto zone = paris();
    const TimeInterval interval = office();
    // Wednesday 19:00: opens Thursday 08:30.
    CHECK(interval.next_change(instant("2026-07-15T17:00:00Z"), zone) ==
          instant("2026-07-16T06:30:00Z"));
    // Thursday 10:00: closes at 17:30.
    CHECK(interval.next_change(instant("2026-07-16T08:00:00Z"), zone) ==
          instant("2026-07-16T15:30:00Z"));
    // Friday evening: opens Monday.
    CHECK(interval.next_change(instant("2026-07-17T18:00:00Z"), zone) ==
          instant("2026-07-20T06:30:00Z"));
    // Monday 13 July evening: the 14th is a holiday, so Wednesday.
    CHECK(interval.next_change(instant("2026-07-13T18:00:00Z"), zone) ==
          instant("2026-07-15T06:30:00Z"));
    // An interval that always holds never changes.
    CHECK_FALSE(TimeInterval{}.next_change(instant("2026-07-13T18:00:00Z"), zone));
}

TEST_CASE("days and hours as configurations write them", "[routing]") {
    CHECK(parse_weekday("monday") == 1);
    CHECK(parse_weekday("dimanche") == 7);
    CHECK(parse_weekday("fri") == 5);
    CHECK_FALSE(parse_weekday("Monday"));
    const auto range = parse_day_range("08:30-24:00");
    REQUIRE(range);
    CHECK(range->start_minute == 510);
    CHECK(range->end_minute == 1440);
    CHECK_FALSE(parse_day_range("17:30-08:30"));
    CHECK_FALSE(parse_day_range("8:30-17:30"));
    CHECK_FALSE(parse_day_range("08:60-17:30"));
    CHECK_FALSE(parse_day_range("08:30"));
}

}  // namespace passerelle::routing
