// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/link_layer.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/crc16.h"
#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

// A Sontex telegram with its format A CRCs (wmbusmeters simulations/simulation_dll_crcs.txt).
constexpr std::string_view kWithCrcs =
    "3444EE4D813929271608 811D 7A51000000046D1912A62B036E000000 5170"
    "426CE1F1436E00000002FF2C00000259 D6D0 D4090265FC0902FD66A000 44C4";
constexpr std::string_view kStripped =
    "3444EE4D813929271608 7A51000000046D1912A62B036E000000"
    "426CE1F1436E00000002FF2C00000259 D4090265FC0902FD66A000";

TEST_CASE("link header of a CRC-stripped telegram") {
    const auto frame = parse_link_frame(bytes_of(kStripped));
    REQUIRE(frame);
    CHECK(frame->layout == CrcLayout::Stripped);
    CHECK(frame->header.length == 0x34);
    CHECK(frame->header.control == 0x44);
    CHECK(frame->header.manufacturer == "SON");
    CHECK(frame->header.id == "27293981");
    CHECK(frame->header.version == 0x16);
    CHECK(frame->header.device_type == 0x08);
    CHECK(frame->telegram.size() == 53);
}

TEST_CASE("format A CRC blocks are verified and removed") {
    const auto frame = parse_link_frame(bytes_of(kWithCrcs));
    REQUIRE(frame);
    CHECK(frame->layout == CrcLayout::FormatA);
    CHECK(frame->telegram == bytes_of(kStripped));
    CHECK(format_a_size(0x34) == 61);
}

TEST_CASE("a wrong block CRC names the block and the byte") {
    auto bytes = bytes_of(kWithCrcs);
    bytes[20] ^= 0x01;  // inside block 2 (bytes 12-27), whose CRC is at byte 28
    const auto frame = parse_link_frame(bytes);
    REQUIRE_FALSE(frame);
    CHECK(frame.error().code == "wmbus.bad-crc");
    CHECK(frame.error().message ==
          "CRC of block 2 wrong at byte 28: computed 0xDC84, frame says "
          "0x5170");
}

TEST_CASE("a length that fits neither layout is a mismatch") {
    auto bytes = bytes_of(kStripped);
    bytes.pop_back();
    const auto frame = parse_link_frame(bytes);
    REQUIRE_FALSE(frame);
    CHECK(frame.error().code == "wmbus.length-mismatch");
    CHECK(frame.error().message ==
          "length mismatch: L says 52, 52 bytes given (53 without CRCs, 61 with frame format A "
          "CRCs)");
}

TEST_CASE("too short for a header") {
    const auto frame = parse_link_frame(bytes_of("0A44EE4D81392927"));
    REQUIRE_FALSE(frame);
    CHECK(frame.error().message ==
          "truncated frame: 8 bytes, a wireless M-Bus header needs 11 (L C M A CI)");
}

TEST_CASE("format B: one CRC over blocks 1 and 2, L counting it") {
    auto bytes = bytes_of(kStripped);
    bytes[0] = static_cast<std::uint8_t>(bytes.size() + 1);  // L now counts the two CRC bytes
    const std::uint16_t crc = crc16_en13757(bytes);
    bytes.push_back(static_cast<std::uint8_t>(crc >> 8));
    bytes.push_back(static_cast<std::uint8_t>(crc & 0xFF));
    const auto frame = parse_link_frame(bytes, FrameFormat::FormatB);
    REQUIRE(frame);
    CHECK(frame->layout == CrcLayout::FormatB);
    CHECK(frame->telegram == bytes_of(kStripped));
    // Without the caller saying so, the same bytes read as a stripped telegram (L + 1 bytes).
    CHECK(parse_link_frame(bytes)->layout == CrcLayout::Stripped);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
