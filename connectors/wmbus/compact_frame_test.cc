// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/compact_frame.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

// A Multical 21 full frame's records and a compact frame of the same layout (wmbusmeters
// simulations/simulation_c1.txt, after decryption).
constexpr std::string_view kFullRecords = "02FF207100041308190000441308190000615B7F616713";
constexpr std::string_view kCompactData = "EDA86AB6710008190000081900007F13";

TEST_CASE("a compact frame expands once its layout was learnt") {
    CompactFormats formats;
    const auto compact = bytes_of(kCompactData);
    const auto unknown = formats.expand(compact);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "wmbus.compact-unknown");
    CHECK(unknown.error().message ==
          "compact frame, format signature A8ED unknown: a full frame is needed first");

    const auto records = mbus::parse_records(bytes_of(kFullRecords), 0);
    REQUIRE(records);
    formats.learn(*records);
    CHECK(formats.size() == 1);
    const auto full = formats.expand(compact);
    REQUIRE(full);
    CHECK(*full == bytes_of(kFullRecords));
}

TEST_CASE("compact frame errors") {
    CompactFormats formats;
    formats.learn(*mbus::parse_records(bytes_of(kFullRecords), 0));
    auto bad_crc = bytes_of(kCompactData);
    bad_crc.back() ^= 0x01;
    const auto crc = formats.expand(bad_crc);
    REQUIRE_FALSE(crc);
    CHECK(crc.error().message == "compact frame CRC 0x8B0F computed, 0xB66A sent");
    auto too_short = bytes_of(kCompactData);
    too_short.pop_back();
    CHECK(formats.expand(too_short).error().message ==
          "compact frame data of 11 bytes does not fit format A8ED");
    CHECK(formats.expand(bytes_of("EDA8")).error().code == "wmbus.truncated");
}

TEST_CASE("layouts with manufacturer data are not learnt") {
    CompactFormats formats;
    formats.learn(*mbus::parse_records(bytes_of("0413081900000F0102"), 0));
    CHECK(formats.size() == 0);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
