// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/ell.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

TEST_CASE("ELL II: CC, ACC and the session number, LSB first") {
    // After CI 0x8D in a Multical 21 telegram (wmbusmeters simulation_aes.msg).
    const auto ell = parse_ell(kCiEllSession, bytes_of("2091D37CAC21E1D6"), 11);
    REQUIRE(ell);
    CHECK(ell->communication_control == 0x20);
    CHECK(ell->access_number == 0x91);
    CHECK(ell->session_number == 0x21AC7CD3U);
    CHECK(ell->encryption() == 1);  // AES-128-CTR
    CHECK(ell->size == 6);
}

TEST_CASE("ELL I has no session number and no encryption") {
    const auto ell = parse_ell(kCiEllShort, bytes_of("2091"), 11);
    REQUIRE(ell);
    CHECK_FALSE(ell->session_number);
    CHECK(ell->encryption() == 0);
    CHECK(ell->size == 2);
}

TEST_CASE("ELL errors") {
    const auto truncated = parse_ell(kCiEllSession, bytes_of("2091D37C"), 11);
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().message == "truncated ELL at byte 11: 6 bytes needed, 4 left");
    const auto repeater = parse_ell(0x8E, bytes_of("2091D37CAC21"), 11);
    REQUIRE_FALSE(repeater);
    CHECK(repeater.error().message ==
          "unsupported CI field 0x8E (ELL with a repeater's address) at byte 10");
    CHECK(is_ell_ci(0x8C));
    CHECK_FALSE(is_ell_ci(0x7A));
}

TEST_CASE("AES-CTR counter block: M A, CC without H and R, SN, zero FN and BC") {
    const std::array<std::uint8_t, 8> address{0x2D, 0x2C, 0x99, 0x87, 0x34, 0x76, 0x1B, 0x16};
    ExtendedLinkLayer ell;
    ell.ci = kCiEllSession;
    ell.communication_control = 0x20 | 0x10 | 0x02;
    ell.session_number = 0x21AC7CD3U;
    const AesBlock block = ell_counter_block(address, ell);
    const AesBlock expected{0x2D, 0x2C, 0x99, 0x87, 0x34, 0x76, 0x1B, 0x16,
                            0x20, 0xD3, 0x7C, 0xAC, 0x21, 0x00, 0x00, 0x00};
    CHECK(block == expected);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
