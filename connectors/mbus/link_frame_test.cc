// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/link_frame.h"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::mbus {
namespace {

// The example RSP_UD telegram of "The M-Bus: A Documentation" (m-bus.com).
std::vector<std::uint8_t> long_frame() {
    return {0x68, 0x1F, 0x1F, 0x68, 0x08, 0x02, 0x72, 0x78, 0x56, 0x34, 0x12, 0x24, 0x40,
            0x01, 0x07, 0x55, 0x00, 0x00, 0x00, 0x03, 0x13, 0x15, 0x31, 0x00, 0xDA, 0x02,
            0x3B, 0x13, 0x01, 0x8B, 0x60, 0x04, 0x37, 0x18, 0x02, 0x18, 0x16};
}

std::vector<std::uint8_t> with(std::vector<std::uint8_t> bytes, std::size_t at,
                               std::uint8_t value) {
    bytes[at] = value;
    return bytes;
}

void require_frame_error(const std::vector<std::uint8_t>& bytes, const char* code,
                         const char* message) {
    auto frame = parse_link_frame(bytes);
    REQUIRE_FALSE(frame.has_value());
    CHECK(frame.error().code == code);
    CHECK(frame.error().message == message);
}

TEST_CASE("long frame: fields and data view") {
    const std::vector<std::uint8_t> bytes = long_frame();  // the frame's data is a view into it
    auto frame = parse_link_frame(bytes);
    REQUIRE(frame.has_value());
    CHECK(frame->kind == FrameKind::Long);
    CHECK(frame->c == 0x08);
    CHECK(frame->a == 0x02);
    CHECK(frame->ci == 0x72);
    CHECK(frame->data_offset == 7);
    CHECK(frame->data.size() == 0x1F - 3);
    CHECK(frame->data.front() == 0x78);
    CHECK(frame->data.back() == 0x02);
}

TEST_CASE("ack, short and control frames") {
    auto ack = parse_link_frame(std::vector<std::uint8_t>{0xE5});
    REQUIRE(ack.has_value());
    CHECK(ack->kind == FrameKind::Ack);

    auto short_frame = parse_link_frame(std::vector<std::uint8_t>{0x10, 0x5B, 0x01, 0x5C, 0x16});
    REQUIRE(short_frame.has_value());
    CHECK(short_frame->kind == FrameKind::Short);
    CHECK(short_frame->c == 0x5B);
    CHECK(short_frame->a == 0x01);

    auto control = parse_link_frame(
        std::vector<std::uint8_t>{0x68, 0x03, 0x03, 0x68, 0x53, 0xFE, 0xBD, 0x0E, 0x16});
    REQUIRE(control.has_value());
    CHECK(control->kind == FrameKind::Control);
    CHECK(control->ci == 0xBD);
    CHECK(control->data.empty());
}

TEST_CASE("every link layer error names its byte") {
    require_frame_error({}, "mbus.truncated", "empty frame");
    require_frame_error({0x42}, "mbus.bad-start", "unknown start byte 0x42 at byte 0");
    require_frame_error({0xE5, 0xE5}, "mbus.trailing-bytes",
                        "1 unexpected bytes after the frame, from byte 1");
    require_frame_error({0x10, 0x5B, 0x01}, "mbus.truncated",
                        "truncated frame: 3 bytes, a short frame needs 5");
    require_frame_error({0x10, 0x5B, 0x01, 0x5D, 0x16}, "mbus.bad-checksum",
                        "bad checksum at byte 3: expected 0x5C, got 0x5D");
    require_frame_error({0x10, 0x5B, 0x01, 0x5C, 0x17}, "mbus.missing-stop",
                        "missing stop byte 0x16 at byte 4: got 0x17");
    require_frame_error({0x68, 0x1F}, "mbus.truncated",
                        "truncated frame: 2 bytes, a long frame needs at least 9");
    require_frame_error(with(long_frame(), 2, 0x1E), "mbus.length-mismatch",
                        "length mismatch: L fields 0x1F and 0x1E");
    require_frame_error(with(long_frame(), 3, 0x67), "mbus.bad-start",
                        "missing second start byte 0x68 at byte 3: got 0x67");
    require_frame_error({0x68, 0x02, 0x02, 0x68, 0x08, 0x01, 0x09, 0x16}, "mbus.bad-length",
                        "length field 0x02 at byte 1 is below the minimum 3 (C, A, CI)");
    std::vector<std::uint8_t> cut = long_frame();
    cut.pop_back();
    require_frame_error(cut, "mbus.truncated",
                        "truncated frame: 36 bytes, a long frame with L=0x1F needs 37");
    require_frame_error(with(long_frame(), 35, 0x19), "mbus.bad-checksum",
                        "bad checksum at byte 35: expected 0x18, got 0x19");
    require_frame_error(with(long_frame(), 20, 0x14), "mbus.bad-checksum",
                        "bad checksum at byte 35: expected 0x19, got 0x18");
    require_frame_error(with(long_frame(), 36, 0x00), "mbus.missing-stop",
                        "missing stop byte 0x16 at byte 36: got 0x00");
    auto longer = long_frame();
    longer.push_back(0x16);
    longer.push_back(0x16);
    require_frame_error(longer, "mbus.trailing-bytes",
                        "2 unexpected bytes after the frame, from byte 37");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
