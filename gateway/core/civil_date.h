// SPDX-License-Identifier: Apache-2.0
// Proleptic Gregorian dates as days counted from 1970-01-01: time zones and holiday calendars.
#pragma once

#include <array>
#include <cstdint>

namespace passerelle::civil {

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    return a - floor_div(a, b) * b;
}

constexpr bool is_leap_year(std::int64_t year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int days_in_month(std::int64_t year, int month) {
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Counts in 400-year eras of 146097 days, each starting on March 1 so that February 29 falls
// at the end of its year (the method of Howard Hinnant's days_from_civil).
constexpr std::int64_t kDaysPerEra = 146'097;
constexpr std::int64_t kDaysFromEpochToEra0 = 719'468;  // 0000-03-01 to 1970-01-01

constexpr std::int64_t days_from_civil(std::int64_t year, int month, int day) {
    const std::int64_t march_year = month <= 2 ? year - 1 : year;
    const std::int64_t era = floor_div(march_year, 400);
    const std::int64_t year_of_era = march_year - era * 400;                 // 0..399
    const std::int64_t march_month = month > 2 ? month - 3 : month + 9;      // 0 = March
    const std::int64_t day_of_year = (153 * march_month + 2) / 5 + day - 1;  // 0..365
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // 0..146096
    return era * kDaysPerEra + day_of_era - kDaysFromEpochToEra0;
}

struct CivilDate {
    std::int64_t year;
    int month;
    int day;
};

constexpr CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t shifted = days + kDaysFromEpochToEra0;
    const std::int64_t era = floor_div(shifted, kDaysPerEra);
    const std::int64_t day_of_era = shifted - era * kDaysPerEra;  // 0..146096
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146'096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // 0..365
    const std::int64_t march_month = (5 * day_of_year + 2) / 153;                // 0 = March
    const int day = static_cast<int>(day_of_year - (153 * march_month + 2) / 5 + 1);
    const int month = static_cast<int>(march_month < 10 ? march_month + 3 : march_month - 9);
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11'017);
static_assert(days_from_civil(1969, 12, 31) == -1);
static_assert(civil_from_days(11'016).month == 2 && civil_from_days(11'016).day == 29);
static_assert(civil_from_days(-719'469).year == 0);  // 0000-02-29: year 0 is a leap year
static_assert(civil_from_days(days_from_civil(-4713, 11, 24)).year == -4713);

}  // namespace passerelle::civil
