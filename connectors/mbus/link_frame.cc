// SPDX-License-Identifier: Apache-2.0
// EN 13757-2 frame checks: start bytes, both L fields, checksum (sum of C..data mod 256), stop
// byte.
#include "connectors/mbus/link_frame.h"

#include <fmt/format.h>

namespace passerelle::connectors::mbus {
namespace {

constexpr std::uint8_t kAck = 0xE5;
constexpr std::uint8_t kShortStart = 0x10;
constexpr std::uint8_t kStop = 0x16;

std::uint8_t checksum(std::span<const std::uint8_t> bytes) {
    unsigned sum = 0;
    for (const std::uint8_t byte : bytes) {
        sum += byte;
    }
    return static_cast<std::uint8_t>(sum & 0xFFU);
}

Status check_tail(std::span<const std::uint8_t> bytes, std::size_t body_begin, std::size_t cs_at) {
    const std::uint8_t expected = checksum(bytes.subspan(body_begin, cs_at - body_begin));
    if (bytes[cs_at] != expected) {
        return make_error("mbus.bad-checksum",
                          fmt::format("bad checksum at byte {}: expected 0x{:02X}, got 0x{:02X}",
                                      cs_at, expected, bytes[cs_at]));
    }
    if (bytes[cs_at + 1] != kStop) {
        return make_error("mbus.missing-stop",
                          fmt::format("missing stop byte 0x16 at byte {}: got 0x{:02X}", cs_at + 1,
                                      bytes[cs_at + 1]));
    }
    if (bytes.size() > cs_at + 2) {
        return make_error("mbus.trailing-bytes",
                          fmt::format("{} unexpected bytes after the frame, from byte {}",
                                      bytes.size() - cs_at - 2, cs_at + 2));
    }
    return Ok{};
}

Result<LinkFrame> parse_short(std::span<const std::uint8_t> bytes) {
    constexpr std::size_t kShortSize = 5;
    if (bytes.size() < kShortSize) {
        return make_error("mbus.truncated",
                          fmt::format("truncated frame: {} bytes, a short frame needs {}",
                                      bytes.size(), kShortSize));
    }
    if (auto tail = check_tail(bytes, 1, 3); !tail) {
        return tail.error();
    }
    LinkFrame frame;
    frame.kind = FrameKind::Short;
    frame.c = bytes[1];
    frame.a = bytes[2];
    return frame;
}

Result<LinkFrame> parse_long(std::span<const std::uint8_t> bytes) {
    constexpr std::size_t kHeaderSize = 4;  // 68 L L 68
    constexpr std::size_t kMinimumL = 3;    // C A CI
    if (bytes.size() < kHeaderSize) {
        return make_error(
            "mbus.truncated",
            fmt::format("truncated frame: {} bytes, a long frame needs at least 9", bytes.size()));
    }
    if (bytes[1] != bytes[2]) {
        return make_error(
            "mbus.length-mismatch",
            fmt::format("length mismatch: L fields 0x{:02X} and 0x{:02X}", bytes[1], bytes[2]));
    }
    if (bytes[3] != kLongFrameStart) {
        return make_error(
            "mbus.bad-start",
            fmt::format("missing second start byte 0x68 at byte 3: got 0x{:02X}", bytes[3]));
    }
    const std::size_t length = bytes[1];
    if (length < kMinimumL) {
        return make_error("mbus.bad-length",
                          fmt::format("length field 0x{:02X} at byte 1 is below the minimum 3 (C, "
                                      "A, CI)",
                                      bytes[1]));
    }
    const std::size_t total = length + 6;
    if (bytes.size() < total) {
        return make_error("mbus.truncated",
                          fmt::format("truncated frame: {} bytes, a long frame with L=0x{:02X} "
                                      "needs {}",
                                      bytes.size(), bytes[1], total));
    }
    if (auto tail = check_tail(bytes, kHeaderSize, kHeaderSize + length); !tail) {
        return tail.error();
    }
    LinkFrame frame;
    frame.kind = length == kMinimumL ? FrameKind::Control : FrameKind::Long;
    frame.c = bytes[4];
    frame.a = bytes[5];
    frame.ci = bytes[6];
    frame.data_offset = 7;
    frame.data = bytes.subspan(7, length - kMinimumL);
    return frame;
}

}  // namespace

Result<LinkFrame> parse_link_frame(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) {
        return make_error("mbus.truncated", "empty frame");
    }
    switch (bytes[0]) {
        case kAck:
            if (bytes.size() > 1) {
                return make_error("mbus.trailing-bytes",
                                  fmt::format("{} unexpected bytes after the frame, from byte 1",
                                              bytes.size() - 1));
            }
            return LinkFrame{};
        case kShortStart:
            return parse_short(bytes);
        case kLongFrameStart:
            return parse_long(bytes);
        default:
            return make_error("mbus.bad-start",
                              fmt::format("unknown start byte 0x{:02X} at byte 0", bytes[0]));
    }
}

}  // namespace passerelle::connectors::mbus
