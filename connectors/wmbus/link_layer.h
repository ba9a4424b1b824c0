// SPDX-License-Identifier: Apache-2.0
// Wireless M-Bus data link layer (EN 13757-4): the L C M A header, and the CRC blocks of frame
// formats A and B, verified and stripped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

/// How the bytes given carry (or not) the link layer CRCs.
enum class CrcLayout : std::uint8_t {
    Stripped,  // no CRCs: L + 1 bytes, as receivers and wmbusmeters log telegrams
    FormatA,   // a CRC after the first 10 bytes, then after every 16 bytes and after the last
    FormatB,   // L counts the CRCs: one after at most 128 bytes, one after the rest
};

/// What the caller knows of the frame: FormatB frames cannot be told apart from stripped ones by
/// their length, so they are only read as such when the receiver says so (its sync word does).
enum class FrameFormat : std::uint8_t { Detect, FormatB };

struct LinkHeader {
    std::uint8_t length = 0;   // L: bytes after L, without CRCs (with them in format B)
    std::uint8_t control = 0;  // C: 0x44 SND_NR, 0x46 SND_IR, 0x08 RSP_UD...
    std::uint16_t manufacturer_code = 0;
    std::string manufacturer;  // three letters ("KAM")
    std::string id;            // 8 digits, most significant first ("76348799")
    std::uint8_t version = 0;
    std::uint8_t device_type = 0;           // medium
    std::array<std::uint8_t, 8> address{};  // M(2) A(6) as sent, for the AES initialisation vectors
};

struct LinkFrame {
    LinkHeader header;
    CrcLayout layout = CrcLayout::Stripped;
    std::vector<std::uint8_t> telegram;  // from L to the end, CRCs removed
};

/// Reads one frame. With FrameFormat::Detect, L + 1 bytes are a CRC-stripped telegram and the
/// format A length (L + 1 plus 2 per block) a frame with CRCs, each verified. Byte positions in
/// messages are 0-based positions in `bytes`. Errors:
/// - wmbus.truncated: "truncated frame: N bytes, a wireless M-Bus header needs 11 (L C M A CI)"
/// - wmbus.length-mismatch: "length mismatch: L says X, Y bytes given (X+1 without CRCs, Z with
///   frame format A CRCs)"
/// - wmbus.bad-crc: "CRC of block 2 wrong at byte 28: computed 0x5170, frame says 0x5171"
Result<LinkFrame> parse_link_frame(std::span<const std::uint8_t> bytes,
                                   FrameFormat format = FrameFormat::Detect);

/// The size of a format A frame whose L field is `length`: the bytes plus two CRC bytes per block.
std::size_t format_a_size(std::uint8_t length);

}  // namespace passerelle::connectors::wmbus
