// SPDX-License-Identifier: Apache-2.0
// Data field codings of EN 13757-3 (types A, B, F, G, H, I of its Annex A).
#include "connectors/mbus/data_field.h"

#include <array>
#include <bit>
#include <string_view>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace passerelle::connectors::mbus {
namespace {

constexpr std::array<FieldCoding, 16> kCodings{{
    {Coding::None, 0},
    {Coding::Integer, 1},
    {Coding::Integer, 2},
    {Coding::Integer, 3},
    {Coding::Integer, 4},
    {Coding::Real, 4},
    {Coding::Integer, 6},
    {Coding::Integer, 8},
    {Coding::Selection, 0},
    {Coding::Bcd, 1},
    {Coding::Bcd, 2},
    {Coding::Bcd, 3},
    {Coding::Bcd, 4},
    {Coding::Variable, 0},
    {Coding::Bcd, 6},
    {Coding::Special, 0},
}};

struct CalendarDate {
    unsigned day = 0;
    unsigned month = 0;
    unsigned year = 0;  // 7 bits, 0-99 meaningful
};

CalendarDate date_g_fields(std::uint8_t low, std::uint8_t high) {
    return {static_cast<unsigned>(low & 0x1FU), static_cast<unsigned>(high & 0x0FU),
            static_cast<unsigned>(((low & 0xE0U) >> 5) | ((high & 0xF0U) >> 1))};
}

// The standard sends two-digit years. Hundred-year bits (type F) count centuries from 1900; without
// them, years up to 80 are read as 20xx, as libmbus and wmbusmeters do. (unverified: the
// hundred-year bits are from memory of EN 13757-3:2013 Annex A)
unsigned full_year(unsigned year, unsigned hundreds) {
    if (hundreds != 0) {
        return 1900 + 100 * hundreds + year;
    }
    return year <= 80 ? 2000 + year : 1900 + year;
}

// Out-of-range fields are how meters send "not set" (all bits set, 0xFFFF) or periodic dates
// (day 0, month 15, year 127): no calendar date either way.
bool is_calendar_date(const CalendarDate& date) {
    return date.day >= 1 && date.day <= 31 && date.month >= 1 && date.month <= 12 &&
           date.year <= 99;
}

DateText not_set(std::string_view what, std::span<const std::uint8_t> bytes) {
    return {{}, fmt::format("{} not set (0x{})", what, to_hex(bytes))};
}

}  // namespace

FieldCoding field_coding(std::uint8_t dif) {
    return kCodings[dif & 0x0FU];
}

std::uint64_t read_unsigned(std::span<const std::uint8_t> bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = bytes.size(); i > 0; --i) {
        value = (value << 8) | bytes[i - 1];
    }
    return value;
}

std::int64_t read_signed(std::span<const std::uint8_t> bytes) {
    const std::uint64_t value = read_unsigned(bytes);
    if (bytes.empty() || bytes.size() >= 8) {
        return static_cast<std::int64_t>(value);
    }
    const auto bits = static_cast<unsigned>(bytes.size() * 8);
    const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
    if ((value & sign) != 0) {
        return static_cast<std::int64_t>(value | ~((sign << 1) - 1));
    }
    return static_cast<std::int64_t>(value);
}

float read_real32(std::span<const std::uint8_t> bytes) {
    const auto bits = static_cast<std::uint32_t>(read_unsigned(bytes.first(4)));
    return std::bit_cast<float>(bits);
}

std::optional<std::int64_t> read_bcd(std::span<const std::uint8_t> bytes) {
    if (bytes.empty() || bytes.size() > 9) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    bool negative = false;
    for (std::size_t i = bytes.size(); i > 0; --i) {
        const std::uint8_t byte = bytes[i - 1];
        unsigned high = byte >> 4;
        const unsigned low = byte & 0x0FU;
        if (i == bytes.size() && high == 0xF) {
            negative = true;
            high = 0;
        }
        if (high > 9 || low > 9) {
            return std::nullopt;
        }
        value = value * 100 + static_cast<std::int64_t>(high * 10 + low);
    }
    return negative ? -value : value;
}

std::optional<std::string> bcd_digits(std::span<const std::uint8_t> bytes) {
    std::string digits;
    digits.reserve(bytes.size() * 2);
    for (std::size_t i = bytes.size(); i > 0; --i) {
        const unsigned high = bytes[i - 1] >> 4;
        const unsigned low = bytes[i - 1] & 0x0FU;
        if (high > 9 || low > 9) {
            return std::nullopt;
        }
        digits.push_back(static_cast<char>('0' + high));
        digits.push_back(static_cast<char>('0' + low));
    }
    return digits;
}

DateText decode_date_g(std::span<const std::uint8_t> bytes) {
    const CalendarDate date = date_g_fields(bytes[0], bytes[1]);
    if (!is_calendar_date(date)) {
        return not_set("date", bytes.first(2));
    }
    return {fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}"), full_year(date.year, 0), date.month,
                        date.day),
            {}};
}

DateText decode_date_time_f(std::span<const std::uint8_t> bytes) {
    if ((bytes[0] & 0x80U) != 0) {
        return {{}, fmt::format("date-time marked invalid (0x{})", to_hex(bytes.first(4)))};
    }
    const unsigned minute = bytes[0] & 0x3FU;
    const unsigned hour = bytes[1] & 0x1FU;
    const unsigned hundreds = (bytes[1] >> 5) & 0x03U;
    const CalendarDate date = date_g_fields(bytes[2], bytes[3]);
    if (!is_calendar_date(date) || minute > 59 || hour > 23) {
        return not_set("date-time", bytes.first(4));
    }
    return {fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}"),
                        full_year(date.year, hundreds), date.month, date.day, hour, minute),
            {}};
}

DateText decode_date_time_i(std::span<const std::uint8_t> bytes) {
    const unsigned second = bytes[0] & 0x3FU;
    const unsigned minute = bytes[1] & 0x3FU;
    const unsigned hour = bytes[2] & 0x1FU;
    const CalendarDate date = date_g_fields(bytes[3], bytes[4]);
    if (!is_calendar_date(date) || second > 59 || minute > 59 || hour > 23) {
        return not_set("date-time", bytes.first(6));
    }
    return {fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}"), full_year(date.year, 0),
                        date.month, date.day, hour, minute, second),
            {}};
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr std::string_view kDigits = "0123456789ABCDEF";
    std::string hex(bytes.size() * 2, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        hex[2 * i] = kDigits[bytes[i] >> 4];
        hex[2 * i + 1] = kDigits[bytes[i] & 0x0FU];
    }
    return hex;
}

}  // namespace passerelle::connectors::mbus
