// SPDX-License-Identifier: Apache-2.0
// Master-to-slave short frames of EN 13757-2 (10 C A CS 16): SND_NKE and REQ_UD2.
#pragma once

#include <array>
#include <cstdint>

namespace passerelle::connectors::mbus {

/// A short frame as sent on the wire: start 0x10, C, A, checksum (C + A mod 256), stop 0x16.
using ShortFrame = std::array<std::uint8_t, 5>;

/// Control fields of the master's requests (EN 13757-2, 5.4). REQ_UD2 carries FCV = 1, and FCB
/// (0x20) alternates from one telegram to the next so that the slave can tell a new request from a
/// repeated one.
inline constexpr std::uint8_t kSndNke = 0x40;
inline constexpr std::uint8_t kReqUd2 = 0x5B;
inline constexpr std::uint8_t kFcb = 0x20;

/// The single character a slave answers SND_NKE (and SND_UD) with.
inline constexpr std::uint8_t kAckByte = 0xE5;

/// Primary addresses 1..250 are meters, 0 is an unconfigured meter, 0xFE reaches whichever single
/// meter is on a point-to-point line; 0xFD (secondary addressing) and 0xFF (broadcast, no answer)
/// cannot be read this way.
inline constexpr std::uint8_t kNetworkLayerAddress = 0xFD;
inline constexpr std::uint8_t kBroadcastAddress = 0xFF;
inline constexpr std::uint8_t kPointToPointAddress = 0xFE;

/// SND_NKE (link reset): 10 40 A CS 16. After it the slave starts its answers from the first
/// telegram and expects the next REQ_UD2 to carry FCB = 1.
ShortFrame snd_nke(std::uint8_t address);

/// REQ_UD2 (request class 2 data): 10 5B A CS 16 with `fcb` false, 10 7B A CS 16 with it true.
/// Repeat a request with the same FCB after a lost or damaged answer (the slave repeats its
/// telegram); toggle it to ask for the next telegram when the last one ended with DIF 0x1F.
ShortFrame req_ud2(std::uint8_t address, bool fcb);

}  // namespace passerelle::connectors::mbus
