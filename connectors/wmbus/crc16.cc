// SPDX-License-Identifier: Apache-2.0
// Bitwise CRC-16/EN-13757: telegrams are short, so a table would buy little.
#include "connectors/wmbus/crc16.h"

namespace passerelle::connectors::wmbus {

std::uint16_t crc16_en13757(std::span<const std::uint8_t> bytes) {
    constexpr std::uint16_t kPolynomial = 0x3D65;
    std::uint16_t crc = 0;
    for (const std::uint8_t byte : bytes) {
        crc ^= static_cast<std::uint16_t>(byte << 8);
        for (int bit = 0; bit < 8; ++bit) {
            const bool top = (crc & 0x8000U) != 0;
            crc = static_cast<std::uint16_t>(crc << 1);
            if (top) {
                crc ^= kPolynomial;
            }
        }
    }
    return static_cast<std::uint16_t>(~crc);
}

}  // namespace passerelle::connectors::wmbus
