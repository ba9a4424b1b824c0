// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/aes.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

AesBlock block_of(std::string_view hex) {
    const auto bytes = bytes_of(hex);
    REQUIRE(bytes.size() == 16);
    AesBlock block{};
    std::copy(bytes.begin(), bytes.end(), block.begin());
    return block;
}

TEST_CASE("AES-128-CBC and CTR against NIST SP 800-38A F.2.2 and F.5.2") {
    const auto key = parse_aes_key("2b7e151628aed2a6abf7158809cf4f3c");
    REQUIRE(key);
    const auto cbc = aes128_cbc_decrypt(*key, block_of("000102030405060708090a0b0c0d0e0f"),
                                        bytes_of("7649abac8119b246cee98e9b12e9197d"));
    CHECK(cbc == bytes_of("6bc1bee22e409f96e93d7e117393172a"));
    const auto ctr = aes128_ctr_decrypt(*key, block_of("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
                                        bytes_of("874d6191b620e3261bef6864990db6ce9806f6"));
    CHECK(ctr == bytes_of("6bc1bee22e409f96e93d7e117393172aae2d8a"));
}

TEST_CASE("key errors never quote the key") {
    const auto short_key = parse_aes_key("2b7e151628aed2a6");
    REQUIRE_FALSE(short_key);
    CHECK(short_key.error().message == "a key has 16 bytes (32 hex digits), got 8");
    const auto not_hex = parse_aes_key("2b7e151628aed2a6abf7158809cf4fZZ");
    REQUIRE_FALSE(not_hex);
    CHECK(not_hex.error().message == "a key has only hex digits");
    CHECK(not_hex.error().message.find("2b7e") == std::string::npos);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
