// SPDX-License-Identifier: Apache-2.0
// Public holidays (jours fériés), so that an office-hours calendar can leave them out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::routing {

/// Which holidays a calendar observes. Alsace and Moselle keep two more days under their local
/// law: Good Friday and St Stephen's Day (26 December).
enum class HolidayCalendar { France, AlsaceMoselle };

/// "france" or "alsace-moselle".
std::optional<HolidayCalendar> parse_holiday_calendar(std::string_view name);
const char* to_string(HolidayCalendar calendar);

/// Easter Sunday of a Gregorian year, as {month, day}.
struct MonthDay {
    int month = 1;
    int day = 1;
};
MonthDay easter_sunday(int year);

/// The holiday's French name ("Lundi de Pâques", "Fête nationale") when the Gregorian date is
/// one. Moveable feasts follow Easter; Whit Monday counts, as the law has it, although many
/// employers work it (journée de solidarité).
std::optional<std::string> public_holiday(HolidayCalendar calendar, int year, int month, int day);

}  // namespace passerelle::routing
