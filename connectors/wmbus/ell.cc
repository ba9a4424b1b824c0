// SPDX-License-Identifier: Apache-2.0
// ELL field layouts (LSB first) and the AES-CTR counter block.
#include "connectors/wmbus/ell.h"

#include <algorithm>

#include <fmt/format.h>

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kShortSize = 2;    // CC ACC
constexpr std::size_t kSessionSize = 6;  // CC ACC SN(4)
constexpr std::uint8_t kCcChangedByRepeaters = 0x12;

}  // namespace

bool is_ell_ci(std::uint8_t ci) {
    return ci >= 0x8C && ci <= 0x8F;
}

Result<ExtendedLinkLayer> parse_ell(std::uint8_t ci, std::span<const std::uint8_t> data,
                                    std::size_t offset) {
    if (ci != kCiEllShort && ci != kCiEllSession) {
        return make_error("wmbus.unsupported-ci",
                          fmt::format("unsupported CI field 0x{:02X} (ELL with a repeater's "
                                      "address) at byte {}",
                                      ci, offset - 1));
    }
    ExtendedLinkLayer ell;
    ell.ci = ci;
    ell.size = ci == kCiEllShort ? kShortSize : kSessionSize;
    if (data.size() < ell.size) {
        return make_error("wmbus.truncated",
                          fmt::format("truncated ELL at byte {}: {} bytes needed, {} left", offset,
                                      ell.size, data.size()));
    }
    ell.communication_control = data[0];
    ell.access_number = data[1];
    if (ci == kCiEllSession) {
        ell.session_number =
            static_cast<std::uint32_t>(data[2]) | static_cast<std::uint32_t>(data[3]) << 8 |
            static_cast<std::uint32_t>(data[4]) << 16 | static_cast<std::uint32_t>(data[5]) << 24;
    }
    return ell;
}

AesBlock ell_counter_block(const std::array<std::uint8_t, 8>& link_address,
                           const ExtendedLinkLayer& ell) {
    AesBlock block{};
    std::copy(link_address.begin(), link_address.end(), block.begin());
    block[8] = static_cast<std::uint8_t>(ell.communication_control & ~kCcChangedByRepeaters);
    const std::uint32_t sn = ell.session_number.value_or(0);
    for (std::size_t i = 0; i < 4; ++i) {
        block[9 + i] = static_cast<std::uint8_t>(sn >> (8 * i));
    }
    // Bytes 13-14 (frame number) and 15 (block counter) stay 0.
    return block;
}

}  // namespace passerelle::connectors::wmbus
