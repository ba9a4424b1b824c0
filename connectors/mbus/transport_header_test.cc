// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/transport_header.h"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::mbus {
namespace {

TEST_CASE("long header (CI 0x72)") {
    // From the m-bus.com documentation example: id 12345678, PAD, version 1, water, access 0x55.
    const std::vector<std::uint8_t> data{0x78, 0x56, 0x34, 0x12, 0x24, 0x40, 0x01,
                                         0x07, 0x55, 0x00, 0x00, 0x00, 0x03};
    auto header = parse_transport_header(0x72, data, 7);
    REQUIRE(header.has_value());
    CHECK(header->kind == HeaderKind::Long);
    CHECK(header->id == "12345678");
    CHECK(header->manufacturer_code == 0x4024);
    CHECK(header->manufacturer == "PAD");
    CHECK(header->version == 1);
    CHECK(header->device_type == 7);
    CHECK(header->access_number == 0x55);
    CHECK(header->status == 0);
    CHECK(header->signature == 0);
    CHECK(header->size == 12);
}

TEST_CASE("short header (CI 0x7A) and no header (CI 0x78)") {
    const std::vector<std::uint8_t> data{0x2A, 0x04, 0x00, 0x00, 0x0C};
    auto short_header = parse_transport_header(0x7A, data, 7);
    REQUIRE(short_header.has_value());
    CHECK(short_header->kind == HeaderKind::Short);
    CHECK(short_header->access_number == 0x2A);
    CHECK(short_header->status == 0x04);
    CHECK(short_header->size == 4);
    CHECK(short_header->id.empty());

    auto none = parse_transport_header(0x78, data, 7);
    REQUIRE(none.has_value());
    CHECK(none->kind == HeaderKind::None);
    CHECK(none->size == 0);
}

TEST_CASE("manufacturer letters and media") {
    CHECK(manufacturer_letters(0x2C2D) == "KAM");
    CHECK(manufacturer_letters(0x14C5) == "EFE");
    CHECK(manufacturer_letters(0x32A7) == "LUG");
    CHECK(manufacturer_letters(0x4DEE) == "SON");
    CHECK(manufacturer_letters(0x4CAE) == "SEN");
    CHECK(medium_name(0x07) == "water");
    CHECK(medium_name(0x04) == "heat_outlet");
    CHECK(medium_name(0x06) == "warm_water");
    CHECK(medium_name(0x16) == "cold_water");
    CHECK(medium_name(0x08) == "heat_cost_allocator");
    CHECK(medium_name(0x02) == "electricity");
    CHECK(medium_name(0x03) == "gas");
    CHECK(medium_name(0x3F) == "reserved");
}

TEST_CASE("header errors") {
    const std::vector<std::uint8_t> three{0x01, 0x02, 0x03};
    auto long_short = parse_transport_header(0x72, three, 7);
    REQUIRE_FALSE(long_short.has_value());
    CHECK(long_short.error().code == "mbus.truncated");
    CHECK(long_short.error().message == "truncated long header at byte 7: 12 bytes needed, 3 left");

    auto short_short = parse_transport_header(0x7A, three, 7);
    REQUIRE_FALSE(short_short.has_value());
    CHECK(short_short.error().message ==
          "truncated short header at byte 7: 4 bytes needed, 3 left");

    auto unknown = parse_transport_header(0x51, three, 7);
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == "mbus.unknown-ci");
    CHECK(unknown.error().message == "unknown CI field 0x51 at byte 6");

    auto msb = parse_transport_header(0x76, three, 7);
    REQUIRE_FALSE(msb.has_value());
    CHECK(msb.error().code == "mbus.unsupported-ci");
    CHECK(msb.error().message ==
          "unsupported CI field 0x76 (variable data, most significant byte first) at byte 6");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
