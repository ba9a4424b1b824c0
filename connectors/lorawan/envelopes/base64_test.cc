// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/base64.h"

#include <catch2/catch.hpp>

namespace passerelle::connectors::lorawan {
namespace {

std::string hex(std::string_view text) {
    auto bytes = decode_base64(text, "data");
    if (!bytes) {
        return bytes.error().code + ": " + bytes.error().message;
    }
    std::string out;
    for (const std::uint8_t byte : *bytes) {
        out += "0123456789abcdef"[byte >> 4];
        out += "0123456789abcdef"[byte & 0xf];
    }
    return out;
}

}  // namespace

TEST_CASE("base64 decodes the standard and URL-safe alphabets, padded or not",
          "[lorawan][base64]") {
    CHECK(hex("") == "");
    CHECK(hex("qg==") == "aa");
    CHECK(hex("qg") == "aa");
    CHECK(hex("gkHe") == "8241de");
    CHECK(hex("A2cBEARoZA==") == "03670110046864");
    CHECK(hex("+/8=") == "fbff");
    CHECK(hex("-_8") == "fbff");
    CHECK(hex("AQIDBAUGBwgJCgsMDQ4PEA==") == "0102030405060708090a0b0c0d0e0f10");
}

TEST_CASE("base64 errors name the character and its position", "[lorawan][base64]") {
    CHECK(hex("AQIDBAUGBwgJCgsM%Q==") ==
          "lorawan.bad-base64: invalid base64 character '%' at position 16 of 'data'");
    CHECK(hex("qg=A") ==
          "lorawan.bad-base64: invalid base64 character '=' at position 2 of 'data'");
    CHECK(hex("q g=") ==
          "lorawan.bad-base64: invalid base64 character ' ' at position 1 of 'data'");
    CHECK(hex("qg\n") ==
          "lorawan.bad-base64: invalid base64 character 0x0a at position 2 of 'data'");
    CHECK(hex("qg===") ==
          "lorawan.bad-base64: invalid base64 character '=' at position 2 of 'data'");
    CHECK(hex("qgAAq") ==
          "lorawan.bad-base64: 'data' has 5 base64 characters: a length of 4n+1 cannot be base64");
    CHECK(hex("qgA==") ==
          "lorawan.bad-base64: 'data' has padding that does not complete a 4-character group");
    CHECK(hex("qh==") ==
          "lorawan.bad-base64: non-zero unused bits in the last base64 character "
          "at position 1 of 'data'");
}

}  // namespace passerelle::connectors::lorawan
