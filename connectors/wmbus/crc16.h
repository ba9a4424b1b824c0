// SPDX-License-Identifier: Apache-2.0
// The CRC-16 of EN 13757 (polynomial 0x3D65), used by wireless M-Bus link blocks, ELL payloads and
// compact frame signatures.
#pragma once

#include <cstdint>
#include <span>

namespace passerelle::connectors::wmbus {

/// CRC-16 with polynomial 0x3D65, initial value 0, no reflection, result complemented.
/// Link blocks send it most significant byte first; ELL payload and compact frame CRCs send it
/// least significant byte first.
std::uint16_t crc16_en13757(std::span<const std::uint8_t> bytes);

}  // namespace passerelle::connectors::wmbus
