// SPDX-License-Identifier: Apache-2.0
#include "connectors/modbus/register_map.h"

#include <bit>
#include <vector>

#include <catch2/catch.hpp>

using namespace passerelle;
using namespace passerelle::connectors::modbus;

namespace {

double decode_number(DataType type, ByteOrder order, std::vector<std::uint16_t> registers,
                     double scale = 1.0, double offset = 0.0) {
    Point point;
    point.type = type;
    point.order = order;
    point.scale = scale;
    point.offset = offset;
    return std::get<double>(decode_point(point, registers));
}

}  // namespace

TEST_CASE("float32 123.456 (0x42F6E979) in each byte order") {
    CHECK(decode_number(DataType::Float32, ByteOrder::ABCD, {0x42F6, 0xE979}) ==
          Approx(123.456).epsilon(1e-7));
    CHECK(decode_number(DataType::Float32, ByteOrder::CDAB, {0xE979, 0x42F6}) ==
          Approx(123.456).epsilon(1e-7));
    CHECK(decode_number(DataType::Float32, ByteOrder::BADC, {0xF642, 0x79E9}) ==
          Approx(123.456).epsilon(1e-7));
    CHECK(decode_number(DataType::Float32, ByteOrder::DCBA, {0x79E9, 0xF642}) ==
          Approx(123.456).epsilon(1e-7));
}

TEST_CASE("float32 -12.5 from the MAG-11 manual's frame C1 48 00 00") {
    CHECK(decode_number(DataType::Float32, ByteOrder::ABCD, {0xC148, 0x0000}) == -12.5);
}

TEST_CASE("16-bit integers, signed and scaled") {
    CHECK(decode_number(DataType::Int16, ByteOrder::ABCD, {0xFF38}, 0.1) == Approx(-20.0));
    CHECK(decode_number(DataType::Uint16, ByteOrder::ABCD, {0xFF38}) == 65336.0);
    // A byte swap applies to the only word; a word swap changes nothing.
    CHECK(decode_number(DataType::Int16, ByteOrder::BADC, {0x38FF}, 0.1) == Approx(-20.0));
    CHECK(decode_number(DataType::Int16, ByteOrder::DCBA, {0x38FF}, 0.1) == Approx(-20.0));
    CHECK(decode_number(DataType::Int16, ByteOrder::CDAB, {0xFF38}, 0.1) == Approx(-20.0));
    CHECK(decode_number(DataType::Uint16, ByteOrder::ABCD, {600}, 0.1, -40.0) == Approx(20.0));
    // Exactly the decimal the device meant, not 74.60000000000001 (746 × 0.1 in binary).
    CHECK(decode_number(DataType::Uint16, ByteOrder::ABCD, {746}, 0.1) == 74.6);
}

TEST_CASE("a float32 register reads as the decimal it prints as") {
    const auto bits = std::bit_cast<std::uint32_t>(74.6F);
    CHECK(decode_number(DataType::Float32, ByteOrder::ABCD,
                        {static_cast<std::uint16_t>(bits >> 16U),
                         static_cast<std::uint16_t>(bits & 0xFFFFU)}) == 74.6);
}

TEST_CASE("32-bit integers in each order") {
    // 0x12345678 = 305419896
    CHECK(decode_number(DataType::Uint32, ByteOrder::ABCD, {0x1234, 0x5678}) == 305419896.0);
    CHECK(decode_number(DataType::Uint32, ByteOrder::CDAB, {0x5678, 0x1234}) == 305419896.0);
    CHECK(decode_number(DataType::Uint32, ByteOrder::BADC, {0x3412, 0x7856}) == 305419896.0);
    CHECK(decode_number(DataType::Uint32, ByteOrder::DCBA, {0x7856, 0x3412}) == 305419896.0);
    CHECK(decode_number(DataType::Int32, ByteOrder::ABCD, {0xFFFF, 0xFFFE}) == -2.0);
    CHECK(decode_number(DataType::Uint32, ByteOrder::ABCD, {0xFFFF, 0xFFFE}) == 4294967294.0);
}

TEST_CASE("64-bit values: all four words reorder") {
    // 1.0 as a double is 0x3FF0000000000000.
    CHECK(decode_number(DataType::Float64, ByteOrder::ABCD, {0x3FF0, 0, 0, 0}) == 1.0);
    CHECK(decode_number(DataType::Float64, ByteOrder::CDAB, {0, 0, 0, 0x3FF0}) == 1.0);
    CHECK(decode_number(DataType::Float64, ByteOrder::BADC, {0xF03F, 0, 0, 0}) == 1.0);
    CHECK(decode_number(DataType::Float64, ByteOrder::DCBA, {0, 0, 0, 0xF03F}) == 1.0);
    CHECK(decode_number(DataType::Int64, ByteOrder::ABCD, {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}) ==
          -1.0);
    CHECK(decode_number(DataType::Int64, ByteOrder::ABCD, {0, 0, 0x0001, 0x0000}) == 65536.0);
}

TEST_CASE("bits decode as booleans") {
    Point point;
    point.table = Table::Coil;
    point.type = DataType::Bool;
    CHECK(std::get<bool>(decode_point(point, std::vector<std::uint16_t>{1})));
    CHECK_FALSE(std::get<bool>(decode_point(point, std::vector<std::uint16_t>{0})));
}

TEST_CASE("names parse case-insensitively and print back") {
    CHECK(parse_type("FLOAT32") == DataType::Float32);
    CHECK(parse_type("int17") == std::nullopt);
    CHECK(parse_order("cdab") == ByteOrder::CDAB);
    CHECK(parse_table("discrete") == Table::Discrete);
    CHECK(type_name(DataType::Uint32) == "uint32");
    CHECK(width_of(DataType::Float64) == 4);
}

TEST_CASE("a no_value sentinel is recognised on the raw value, before scaling") {
    Point point;
    point.type = DataType::Int16;
    point.scale = 0.1;
    point.no_value = 32767;
    CHECK(is_no_value(point, std::vector<std::uint16_t>{0x7FFF}));
    CHECK_FALSE(is_no_value(point, std::vector<std::uint16_t>{0x7FFE}));
    point.no_value.reset();
    CHECK_FALSE(is_no_value(point, std::vector<std::uint16_t>{0x7FFF}));
}
