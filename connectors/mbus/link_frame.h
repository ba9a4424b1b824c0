// SPDX-License-Identifier: Apache-2.0
// Wired M-Bus link layer (EN 13757-2): splits one frame into C, A, CI and user data, checking it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "gateway/core/result.h"

namespace passerelle::connectors::mbus {

/// The start byte of control and long frames, at bytes 0 and 3 (68 L L 68).
inline constexpr std::uint8_t kLongFrameStart = 0x68;

enum class FrameKind : std::uint8_t {
    Ack,      // the single character E5
    Short,    // 10 C A CS 16
    Control,  // 68 03 03 68 C A CI CS 16
    Long,     // 68 L L 68 C A CI data... CS 16
};

struct LinkFrame {
    FrameKind kind = FrameKind::Ack;
    std::uint8_t c = 0;   // control field (RSP_UD from a slave: 0x08, with ACD 0x20 / DFC 0x10)
    std::uint8_t a = 0;   // primary address, 0xFD for secondary addressing
    std::uint8_t ci = 0;  // control information field (control and long frames)
    std::span<const std::uint8_t> data;  // the bytes after CI (long frames), a view into the input
    std::size_t data_offset = 0;         // offset of data[0] in the input, for error positions
};

/// Parses exactly one frame: the input must hold nothing after the stop byte.
/// Offsets in messages are 0-based byte positions in `bytes`. Errors (code: message):
/// - mbus.truncated: "empty frame", "truncated frame: N bytes, a long frame with L=0x.. needs M"
/// - mbus.bad-start: "unknown start byte 0x.. at byte 0", "missing second start byte 0x68 at byte
/// 3"
/// - mbus.length-mismatch: "length mismatch: L fields 0x.. and 0x.."
/// - mbus.bad-length: "length field 0x.. at byte 1 is below the minimum 3 (C, A, CI)"
/// - mbus.bad-checksum: "bad checksum at byte N: expected 0x.., got 0x.."
/// - mbus.missing-stop: "missing stop byte 0x16 at byte N: got 0x.."
/// - mbus.trailing-bytes: "N unexpected bytes after the frame, from byte M"
Result<LinkFrame> parse_link_frame(std::span<const std::uint8_t> bytes);

}  // namespace passerelle::connectors::mbus
