// SPDX-License-Identifier: Apache-2.0
// Decryption of the two schemes met in the field: TPL security mode 5 (AES-128-CBC, EN 13757-7 /
// OMS) and ELL II AES-128-CTR (Kamstrup), each with the check that tells a right key from a wrong
// one, so that a wrong key is an error and never a set of garbage values.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "connectors/wmbus/aes.h"
#include "connectors/wmbus/ell.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

/// Bits 8-12 of the TPL configuration word: 0 none, 5 AES-CBC with a static key, 7 AES-CBC with
/// derived keys, 13 TLS...
unsigned security_mode(std::uint16_t configuration);

/// Mode 5 initialisation vector: M(2) ID(4) version type, as in the header that carries the
/// meter's address (the long TPL header for CI 0x72, the link header otherwise), then the TPL
/// access number 8 times.
AesBlock mode5_iv(const std::array<std::uint8_t, 8>& address, std::uint8_t access_number);

/// Decrypts the blocks that the configuration word announces (bits 4-7; 0 means every whole
/// block) and keeps any clear tail after them. `meter` names the meter in messages. Errors:
/// - wmbus.truncated: "configuration word 0x0550 announces 5 encrypted blocks (80 bytes), 64
///   bytes follow the header"
/// - wmbus.wrong-key: "wrong or missing key for meter 12345678: decrypted data does not start
///   with 2F 2F"
Result<std::vector<std::uint8_t>> decrypt_mode5(const AesKey& key, const AesBlock& iv,
                                                std::uint16_t configuration,
                                                std::span<const std::uint8_t> data,
                                                std::string_view meter);

/// The plaintext of an ELL II payload is CRC(2, LSB first) then the payload it covers. Returns the
/// payload (from its CI field). Errors:
/// - wmbus.truncated: "ELL payload of N bytes has no room for its CRC"
/// - wmbus.wrong-key: "wrong or missing key for meter 76348799: payload CRC 0x.... computed,
///   0x.... sent"
Result<std::vector<std::uint8_t>> decrypt_ell_ctr(const AesKey& key, const AesBlock& counter,
                                                  std::span<const std::uint8_t> data,
                                                  std::string_view meter);

/// Checks the CRC of an ELL II payload that is already in clear (as wmbusmeters logs it); the same
/// errors as decrypt_ell_ctr.
Result<std::vector<std::uint8_t>> check_ell_payload(std::span<const std::uint8_t> plaintext,
                                                    std::string_view meter);

/// True when data begins with the two idle fillers 2F 2F that mode 5 plaintext starts with.
bool starts_with_fillers(std::span<const std::uint8_t> data);

}  // namespace passerelle::connectors::wmbus
