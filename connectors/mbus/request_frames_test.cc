// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/request_frames.h"

#include <catch2/catch.hpp>

#include "connectors/mbus/link_frame.h"

namespace passerelle::connectors::mbus {
namespace {

TEST_CASE("SND_NKE is 10 40 A CS 16") {
    CHECK(snd_nke(0x01) == ShortFrame{0x10, 0x40, 0x01, 0x41, 0x16});
    CHECK(snd_nke(0xFE) == ShortFrame{0x10, 0x40, 0xFE, 0x3E, 0x16});
    CHECK(snd_nke(0x00) == ShortFrame{0x10, 0x40, 0x00, 0x40, 0x16});
}

TEST_CASE("REQ_UD2 carries FCV and the FCB it is given") {
    CHECK(req_ud2(0xFE, true) == ShortFrame{0x10, 0x7B, 0xFE, 0x79, 0x16});
    CHECK(req_ud2(0xFE, false) == ShortFrame{0x10, 0x5B, 0xFE, 0x59, 0x16});
    CHECK(req_ud2(0x05, false) == ShortFrame{0x10, 0x5B, 0x05, 0x60, 0x16});
    CHECK(req_ud2(0xFA, true) == ShortFrame{0x10, 0x7B, 0xFA, 0x75, 0x16});  // sum wraps
}

TEST_CASE("request frames pass the link layer checks") {
    for (const ShortFrame& frame : {snd_nke(250), req_ud2(250, false), req_ud2(3, true)}) {
        auto parsed = parse_link_frame(frame);
        REQUIRE(parsed.has_value());
        CHECK(parsed->kind == FrameKind::Short);
        CHECK(parsed->c == frame[1]);
        CHECK(parsed->a == frame[2]);
    }
}

}  // namespace
}  // namespace passerelle::connectors::mbus
