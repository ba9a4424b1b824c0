// SPDX-License-Identifier: Apache-2.0
#include "connectors/modbus/register_encoder.h"

#include <array>
#include <vector>

#include <catch2/catch.hpp>

using namespace passerelle;
using namespace passerelle::connectors::modbus;

namespace {

Point point_of(DataType type, ByteOrder order, double scale = 1.0, double offset = 0.0) {
    Point point;
    point.name = std::string(1, 'p');  // GCC 12 -O2 -Wrestrict misfires on = "p"
    point.table = type == DataType::Bool ? Table::Coil : Table::Holding;
    point.type = type;
    point.order = order;
    point.scale = scale;
    point.offset = offset;
    return point;
}

constexpr std::array kOrders{ByteOrder::ABCD, ByteOrder::CDAB, ByteOrder::BADC, ByteOrder::DCBA};

/// Values each type holds exactly, the extremes included, and some whose bytes all differ so that
/// a misplaced byte shows.
std::vector<double> samples_of(DataType type) {
    switch (type) {
        case DataType::Int16:
            return {0, 1, -1, -32768, 32767, 0x1234, -0x1234};
        case DataType::Uint16:
            return {0, 1, 65535, 0x1234, 0xA1B2};
        case DataType::Int32:
            return {0, -1, -2147483648.0, 2147483647.0, 0x12345678, -0x12345678};
        case DataType::Uint32:
            return {0, 1, 4294967295.0, 0x12345678, 0xA1B2C3D4};
        case DataType::Int64:
            return {0, -1, -9223372036854775808.0, 0x123456789ABC, -0x123456789ABC};
        case DataType::Float32:
            // A float register reads back as the decimal written, not as the float widened.
            return {0, -12.5, 123.456, 3.0e38, -1.0e-30};
        case DataType::Float64:
            return {0, -12.5, 123.456, 1.0e300, -1.0e-300};
        case DataType::Bool:
            return {0, 1};
    }
    return {};
}

}  // namespace

TEST_CASE("every type in every byte order decodes back to the value encoded") {
    for (const DataType type :
         {DataType::Int16, DataType::Uint16, DataType::Int32, DataType::Uint32, DataType::Int64,
          DataType::Float32, DataType::Float64, DataType::Bool}) {
        for (const ByteOrder order : kOrders) {
            const Point point = point_of(type, order);
            for (const double raw : samples_of(type)) {
                INFO(type_name(type) << " " << order_name(order) << " " << raw);
                const Value value = type == DataType::Bool ? Value(raw != 0.0) : Value(raw);
                const auto words = encode_point(point, value);
                REQUIRE(words.has_value());
                REQUIRE(words->size() == width_of(type));
                CHECK(decode_point(point, *words) == value);
                const auto from_raw = encode_raw(point, raw);
                REQUIRE(from_raw.has_value());
                CHECK(*from_raw == *words);
            }
        }
    }
}

TEST_CASE("scale and offset are undone, integers to the nearest step") {
    const Point tenths = point_of(DataType::Int16, ByteOrder::ABCD, 0.1);
    CHECK(*encode_point(tenths, 75.3) == std::vector<std::uint16_t>{753});
    CHECK(*encode_point(tenths, -20.0) == std::vector<std::uint16_t>{0xFF38});
    CHECK(std::get<double>(decode_point(tenths, *encode_point(tenths, 52.46))) == Approx(52.5));
    const Point kelvin = point_of(DataType::Uint16, ByteOrder::ABCD, 0.1, -40.0);
    CHECK(*encode_point(kelvin, 20.0) == std::vector<std::uint16_t>{600});
    const Point per_hour = point_of(DataType::Uint32, ByteOrder::CDAB, 1.0 / 3600.0);
    const auto flow = encode_point(per_hour, 2.5);  // l/s = 9000 l/h
    CHECK(*flow == std::vector<std::uint16_t>{9000, 0});
    CHECK(std::get<double>(decode_point(per_hour, *flow)) == Approx(2.5));
}

TEST_CASE("the wire layout of each order is the one the decoder's tests read") {
    // 0x12345678, as register_map_test.cc decodes it in each order.
    CHECK(*encode_raw(point_of(DataType::Uint32, ByteOrder::ABCD), 305419896.0) ==
          std::vector<std::uint16_t>{0x1234, 0x5678});
    CHECK(*encode_raw(point_of(DataType::Uint32, ByteOrder::CDAB), 305419896.0) ==
          std::vector<std::uint16_t>{0x5678, 0x1234});
    CHECK(*encode_raw(point_of(DataType::Uint32, ByteOrder::BADC), 305419896.0) ==
          std::vector<std::uint16_t>{0x3412, 0x7856});
    CHECK(*encode_raw(point_of(DataType::Uint32, ByteOrder::DCBA), 305419896.0) ==
          std::vector<std::uint16_t>{0x7856, 0x3412});
    CHECK(*encode_raw(point_of(DataType::Float64, ByteOrder::CDAB), 1.0) ==
          std::vector<std::uint16_t>{0, 0, 0, 0x3FF0});
    CHECK(*encode_raw(point_of(DataType::Int16, ByteOrder::BADC), -200.0) ==
          std::vector<std::uint16_t>{0x38FF});
}

TEST_CASE("values a type cannot hold, and values of the wrong kind, are errors") {
    const auto too_big = encode_point(point_of(DataType::Int16, ByteOrder::ABCD, 0.1), 3276.8);
    REQUIRE_FALSE(too_big.has_value());
    CHECK(too_big.error().code == "modbus.out-of-range");
    CHECK(too_big.error().message == "'p': raw value 32768 does not fit a int16");
    CHECK_FALSE(encode_raw(point_of(DataType::Uint16, ByteOrder::ABCD), -1.0).has_value());
    CHECK_FALSE(encode_raw(point_of(DataType::Uint32, ByteOrder::ABCD), 4294967296.0).has_value());
    CHECK_FALSE(encode_raw(point_of(DataType::Int64, ByteOrder::ABCD), 9.3e18).has_value());
    CHECK_FALSE(encode_raw(point_of(DataType::Float32, ByteOrder::ABCD), 1e39).has_value());

    const auto bit_as_number = encode_point(point_of(DataType::Bool, ByteOrder::ABCD), 1.0);
    REQUIRE_FALSE(bit_as_number.has_value());
    CHECK(bit_as_number.error().code == "modbus.value-type");
    const auto number_as_bit = encode_point(point_of(DataType::Uint16, ByteOrder::ABCD), true);
    REQUIRE_FALSE(number_as_bit.has_value());
    CHECK(number_as_bit.error().code == "modbus.value-type");
}
