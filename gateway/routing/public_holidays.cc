// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/public_holidays.h"

#include <array>
#include <cstdint>

#include "gateway/core/civil_date.h"

namespace passerelle::routing {
namespace {

struct FixedHoliday {
    int month;
    int day;
    const char* name;
};

constexpr std::array kFixedHolidays{
    FixedHoliday{1, 1, "Jour de l'an"},     FixedHoliday{5, 1, "Fête du Travail"},
    FixedHoliday{5, 8, "Victoire 1945"},    FixedHoliday{7, 14, "Fête nationale"},
    FixedHoliday{8, 15, "Assomption"},      FixedHoliday{11, 1, "Toussaint"},
    FixedHoliday{11, 11, "Armistice 1918"}, FixedHoliday{12, 25, "Noël"},
};

}  // namespace

std::optional<HolidayCalendar> parse_holiday_calendar(std::string_view name) {
    if (name == "france") {
        return HolidayCalendar::France;
    }
    if (name == "alsace-moselle") {
        return HolidayCalendar::AlsaceMoselle;
    }
    return std::nullopt;
}

const char* to_string(HolidayCalendar calendar) {
    return calendar == HolidayCalendar::France ? "france" : "alsace-moselle";
}

// The anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8).
MonthDay easter_sunday(int year) {
    const int a = year % 19;
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return {month, day};
}

std::optional<std::string> public_holiday(HolidayCalendar calendar, int year, int month, int day) {
    for (const auto& holiday : kFixedHolidays) {
        if (holiday.month == month && holiday.day == day) {
            return holiday.name;
        }
    }
    if (calendar == HolidayCalendar::AlsaceMoselle && month == 12 && day == 26) {
        return "Saint-Étienne";
    }
    const MonthDay easter = easter_sunday(year);
    const std::int64_t after_easter = civil::days_from_civil(year, month, day) -
                                      civil::days_from_civil(year, easter.month, easter.day);
    switch (after_easter) {
        case 1:
            return "Lundi de Pâques";
        case 39:
            return "Ascension";
        case 50:
            return "Lundi de Pentecôte";
        case -2:
            if (calendar == HolidayCalendar::AlsaceMoselle) {
                return "Vendredi saint";
            }
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

}  // namespace passerelle::routing
