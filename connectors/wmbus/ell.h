// SPDX-License-Identifier: Apache-2.0
// Extended link layer (EN 13757-4): ELL I (CI 0x8C) and ELL II (CI 0x8D, with a session number
// and AES-128-CTR encryption, as Kamstrup meters send), and the counter block of that encryption.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "connectors/wmbus/aes.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

inline constexpr std::uint8_t kCiEllShort = 0x8C;
inline constexpr std::uint8_t kCiEllSession = 0x8D;

struct ExtendedLinkLayer {
    std::uint8_t ci = 0;
    std::uint8_t communication_control = 0;       // CC
    std::uint8_t access_number = 0;               // ACC
    std::optional<std::uint32_t> session_number;  // SN, ELL II only
    std::size_t size = 0;                         // bytes after the CI field

    /// SN bits 29-31 give the encryption: 0 none, 1 AES-128-CTR, others reserved.
    unsigned encryption() const { return session_number ? (*session_number >> 29) & 0x7U : 0; }
};

/// True for the CI fields of an extended link layer (0x8C to 0x8F).
bool is_ell_ci(std::uint8_t ci);

/// The ELL after `ci`, from `data` (the bytes after CI; `offset` is data[0]'s position, for
/// messages). Errors:
/// - wmbus.truncated: "truncated ELL at byte N: 6 bytes needed, M left"
/// - wmbus.unsupported-ci: "unsupported CI field 0x8E (ELL with a repeater's address) at byte N"
Result<ExtendedLinkLayer> parse_ell(std::uint8_t ci, std::span<const std::uint8_t> data,
                                    std::size_t offset);

/// The initial counter block of ELL AES-128-CTR: M(2) A(6) as in the link header, CC with the
/// hop and repeated-access bits (0x10, 0x02) cleared since repeaters change them, SN(4) as sent,
/// frame number 0000 and block counter 00.
AesBlock ell_counter_block(const std::array<std::uint8_t, 8>& link_address,
                           const ExtendedLinkLayer& ell);

}  // namespace passerelle::connectors::wmbus
