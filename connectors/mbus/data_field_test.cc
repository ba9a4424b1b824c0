// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/data_field.h"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::mbus {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST_CASE("data field codings from the DIF") {
    CHECK(field_coding(0x00).coding == Coding::None);
    CHECK(field_coding(0x04).coding == Coding::Integer);
    CHECK(field_coding(0x04).size == 4);
    CHECK(field_coding(0x06).size == 6);
    CHECK(field_coding(0x07).size == 8);
    CHECK(field_coding(0x05).coding == Coding::Real);
    CHECK(field_coding(0x08).coding == Coding::Selection);
    CHECK(field_coding(0x0B).coding == Coding::Bcd);
    CHECK(field_coding(0x0B).size == 3);
    CHECK(field_coding(0x0E).size == 6);
    CHECK(field_coding(0x0D).coding == Coding::Variable);
    CHECK(field_coding(0x8F).coding == Coding::Special);
}

TEST_CASE("integers are little-endian two's complement") {
    CHECK(read_signed(Bytes{0xF7, 0xFF, 0xFF, 0xFF}) == -9);
    CHECK(read_signed(Bytes{0xFF}) == -1);
    CHECK(read_signed(Bytes{0x7F}) == 127);
    CHECK(read_signed(Bytes{0x15, 0x31, 0x00}) == 12565);
    CHECK(read_signed(Bytes{0x00, 0x00, 0x80}) == -8388608);
    CHECK(read_signed(Bytes{0x01, 0x00, 0x00, 0x00, 0x00, 0x80}) == -140737488355327);
    CHECK(read_signed(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) == -1);
    CHECK(read_unsigned(Bytes{0xFF, 0xFF}) == 65535);
}

TEST_CASE("real32 little endian") {
    CHECK(read_real32(Bytes{0x00, 0x00, 0x80, 0x3F}) == 1.0F);
    CHECK(read_real32(Bytes{0x22, 0xF3, 0x26, 0x42}) == Approx(41.737434));
}

TEST_CASE("BCD with the negative convention") {
    CHECK(read_bcd(Bytes{0x37, 0x18, 0x02}) == 21837);
    CHECK(read_bcd(Bytes{0x02, 0x00, 0xF0}) == -2);
    CHECK(read_bcd(Bytes{0x12, 0xF3}) == -312);
    CHECK(read_bcd(Bytes{0x99, 0x99, 0x99, 0x99, 0x99, 0x99}) == 999999999999);
    CHECK_FALSE(read_bcd(Bytes{0xBD, 0xEB, 0xDD, 0xDD}).has_value());
    CHECK_FALSE(read_bcd(Bytes{0x0A}).has_value());
    CHECK_FALSE(read_bcd(Bytes{0xF0, 0x00}).has_value());  // F only counts in the top byte
    CHECK_FALSE(read_bcd(Bytes{}).has_value());
    CHECK(bcd_digits(Bytes{0x76, 0x00, 0x05, 0x21}) == "21050076");
    CHECK(bcd_digits(Bytes{0x01, 0x00}) == "0001");
    CHECK_FALSE(bcd_digits(Bytes{0x02, 0xF0}).has_value());
}

TEST_CASE("type G date") {
    CHECK(decode_date_g(Bytes{0xBF, 0x1C}).text == "2013-12-31");
    CHECK(decode_date_g(Bytes{0xDF, 0x1C}).text == "2014-12-31");
    const DateText not_set = decode_date_g(Bytes{0xFF, 0xFF});
    CHECK(not_set.text.empty());
    CHECK(not_set.note == "date not set (0xFFFF)");
    CHECK(decode_date_g(Bytes{0xE1, 0xF1}).note == "date not set (0xE1F1)");  // year 127
    CHECK(decode_date_g(Bytes{0x00, 0x01}).text.empty());                     // day 0
}

TEST_CASE("type F date-time") {
    // Engelmann WaterStar (libmbus EFE_Engelmann-WaterStar.hex): 2014-03-13 12:10.
    CHECK(decode_date_time_f(Bytes{0x0A, 0x0C, 0xCD, 0x13}).text == "2014-03-13T12:10");
    // Hundred-year bits set in the hour byte (Kamstrup Multical 601): still 2011.
    CHECK(decode_date_time_f(Bytes{0x1A, 0x2F, 0x65, 0x11}).text == "2011-01-05T15:26");
    const DateText invalid = decode_date_time_f(Bytes{0x8A, 0x0C, 0xCD, 0x13});
    CHECK(invalid.text.empty());
    CHECK(invalid.note == "date-time marked invalid (0x8A0CCD13)");
    CHECK(decode_date_time_f(Bytes{0x00, 0x00, 0xE1, 0xF1}).note ==
          "date-time not set (0x0000E1F1)");
    CHECK(decode_date_time_f(Bytes{0x3C, 0x0C, 0xCD, 0x13}).text.empty());  // minute 60
}

TEST_CASE("type I date-time") {
    CHECK(decode_date_time_i(Bytes{0x05, 0x0A, 0x0C, 0xCD, 0x13, 0x00}).text ==
          "2014-03-13T12:10:05");
    CHECK(decode_date_time_i(Bytes{0x3D, 0x0A, 0x0C, 0xCD, 0x13, 0x00}).note ==
          "date-time not set (0x3D0A0CCD1300)");
}

TEST_CASE("hex") {
    CHECK(to_hex(Bytes{0x0C, 0x13, 0xAB}) == "0C13AB");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
