// SPDX-License-Identifier: Apache-2.0
// AES-128 primitives for wireless M-Bus (OpenSSL EVP) and the meter key type, which never prints.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

/// A meter's AES-128 key. Deliberately without a formatter or stream operator: keys must never
/// reach a log line or an error message.
struct AesKey {
    std::array<std::uint8_t, 16> bytes{};
};

using AesBlock = std::array<std::uint8_t, 16>;

/// A key from 32 hex digits (white space allowed). Errors (wmbus.bad-key) never quote the text:
/// "a key has 16 bytes (32 hex digits), got N", "a key has only hex digits".
Result<AesKey> parse_aes_key(std::string_view hex);

/// AES-128-CBC without padding; `data` must be whole blocks (the caller checks).
std::vector<std::uint8_t> aes128_cbc_decrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data);

/// AES-128-CBC encryption without padding, the inverse of aes128_cbc_decrypt; `data` must be
/// whole blocks (the caller pads). For building telegrams in simulations and tests.
std::vector<std::uint8_t> aes128_cbc_encrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data);

/// AES-128-CTR: the 16-byte counter block starts at `iv` and is incremented big-endian per block.
std::vector<std::uint8_t> aes128_ctr_decrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data);

}  // namespace passerelle::connectors::wmbus
