// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/payload_text.h"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::lorawan {

TEST_CASE("payload hex: spaces and either case", "[lorawan][payload-text]") {
    const auto bytes = parse_payload_hex(" 01 00e2\t02 29\n");
    REQUIRE(bytes);
    CHECK(*bytes == std::vector<std::uint8_t>{0x01, 0x00, 0xE2, 0x02, 0x29});
    CHECK(parse_payload_hex("")->empty());
}

TEST_CASE("payload hex: errors name the character", "[lorawan][payload-text]") {
    const auto letter = parse_payload_hex("01 0g");
    REQUIRE_FALSE(letter);
    CHECK(letter.error().code == "lorawan.bad-hex");
    CHECK(letter.error().message == "'g' at character 5 is not a hex digit");
    const auto odd = parse_payload_hex("01 0");
    REQUIRE_FALSE(odd);
    CHECK(odd.error().message == "odd number of hex digits (3): the last byte is incomplete");
    CHECK(parse_payload_hex("01\x01").error().message ==
          "byte 0x01 at character 3 is not a hex digit");
}

}  // namespace passerelle::connectors::lorawan
