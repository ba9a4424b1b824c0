// SPDX-License-Identifier: Apache-2.0
// EN 13757-3 transport header after the CI field: long (0x72), short (0x7A) or none (0x78).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::connectors::mbus {

enum class HeaderKind : std::uint8_t { None, Short, Long };

struct TransportHeader {
    HeaderKind kind = HeaderKind::None;
    // Long header only (CI 0x72): the meter's identity.
    std::string id;  // identification number as 8 digits, most significant first ("12345678")
    std::uint16_t manufacturer_code = 0;
    std::string manufacturer;  // three letters ("KAM")
    std::uint8_t version = 0;
    std::uint8_t device_type = 0;  // medium, see medium_name()
    // Long and short headers.
    std::uint8_t access_number = 0;
    std::uint8_t status = 0;
    std::uint16_t signature = 0;  // configuration word, 0 for unencrypted wired telegrams
    std::size_t size = 0;         // header bytes consumed after the CI field
};

/// The header that follows `ci`, read from `data` (the bytes after CI); `base_offset` is the
/// position of data[0] in the frame, for error messages. Errors:
/// - mbus.unknown-ci: "unknown CI field 0x.. at byte N"
/// - mbus.unsupported-ci: "unsupported CI field 0x.. (what it is) at byte N"
/// - mbus.truncated: "truncated long header at byte N: 12 bytes needed, M left" (short: 4)
Result<TransportHeader> parse_transport_header(std::uint8_t ci, std::span<const std::uint8_t> data,
                                               std::size_t base_offset);

/// "KAM" from the 15-bit code 0x2C2D: three letters of 5 bits each, plus 64.
std::string manufacturer_letters(std::uint16_t code);

/// The device type (medium) byte as a stable snake_case name: 0x07 "water", 0x04 "heat_outlet".
/// Unassigned values give "reserved".
std::string_view medium_name(std::uint8_t device_type);

}  // namespace passerelle::connectors::mbus
