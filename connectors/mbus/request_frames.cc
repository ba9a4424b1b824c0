// SPDX-License-Identifier: Apache-2.0
// Short request frames: the checksum covers C and A only.
#include "connectors/mbus/request_frames.h"

namespace passerelle::connectors::mbus {
namespace {

ShortFrame short_frame(std::uint8_t c, std::uint8_t a) {
    const auto checksum = static_cast<std::uint8_t>((c + a) & 0xFFU);
    return ShortFrame{0x10, c, a, checksum, 0x16};
}

}  // namespace

ShortFrame snd_nke(std::uint8_t address) {
    return short_frame(kSndNke, address);
}

ShortFrame req_ud2(std::uint8_t address, bool fcb) {
    return short_frame(fcb ? static_cast<std::uint8_t>(kReqUd2 | kFcb) : kReqUd2, address);
}

}  // namespace passerelle::connectors::mbus
