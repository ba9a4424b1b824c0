// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/public_holidays.h"

#include <catch2/catch.hpp>

namespace passerelle::routing {

TEST_CASE("Easter Sunday by the Gregorian computus", "[routing]") {
    // Published dates: the earliest possible (22 March) and latest (25 April) included.
    const std::vector<std::tuple<int, int, int>> known{{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},
                                                       {2027, 3, 28}, {2038, 4, 25}, {2285, 3, 22},
                                                       {2000, 4, 23}, {1961, 4, 2}};
    for (const auto& [year, month, day] : known) {
        INFO(year);
        const MonthDay easter = easter_sunday(year);
        CHECK(easter.month == month);
        CHECK(easter.day == day);
    }
}

TEST_CASE("French public holidays, fixed and moveable", "[routing]") {
    const auto france = HolidayCalendar::France;
    CHECK(public_holiday(france, 2026, 7, 14) == "Fête nationale");
    CHECK(public_holiday(france, 2026, 1, 1) == "Jour de l'an");
    CHECK(public_holiday(france, 2026, 11, 11) == "Armistice 1918");
    CHECK(public_holiday(france, 2026, 4, 6) == "Lundi de Pâques");
    CHECK(public_holiday(france, 2026, 5, 14) == "Ascension");
    CHECK(public_holiday(france, 2026, 5, 25) == "Lundi de Pentecôte");
    CHECK(public_holiday(france, 2027, 3, 29) == "Lundi de Pâques");
    CHECK_FALSE(public_holiday(france, 2026, 4, 5));  // Easter Sunday is a Sunday anyway
    CHECK_FALSE(public_holiday(france, 2026, 7, 15));
    CHECK_FALSE(public_holiday(france, 2026, 4, 3));  // Good Friday: Alsace-Moselle only
    CHECK_FALSE(public_holiday(france, 2026, 12, 26));
}

TEST_CASE("Alsace and Moselle keep Good Friday and St Stephen's Day", "[routing]") {
    const auto local = HolidayCalendar::AlsaceMoselle;
    CHECK(public_holiday(local, 2026, 4, 3) == "Vendredi saint");
    CHECK(public_holiday(local, 2026, 12, 26) == "Saint-Étienne");
    CHECK(public_holiday(local, 2026, 12, 25) == "Noël");
    CHECK(parse_holiday_calendar("alsace-moselle") == local);
    CHECK(parse_holiday_calendar("france") == HolidayCalendar::France);
    CHECK_FALSE(parse_holiday_calendar("belgique"));
}

}  // namespace passerelle::routing
