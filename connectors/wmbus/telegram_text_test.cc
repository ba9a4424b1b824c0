// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/telegram_text.h"

#include <catch2/catch.hpp>

namespace passerelle::connectors::wmbus {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST_CASE("plain hex, with or without spaces") {
    CHECK(*parse_telegram_text("2A 44 2d2c") == Bytes{0x2A, 0x44, 0x2D, 0x2C});
}

TEST_CASE("wmbusmeters' log form, with its header separator and time suffix") {
    CHECK(*parse_telegram_text("telegram=|2A44_2D2C|+32") == Bytes{0x2A, 0x44, 0x2D, 0x2C});
    CHECK(*parse_telegram_text("  telegram=|2A442D2C|") == Bytes{0x2A, 0x44, 0x2D, 0x2C});
}

TEST_CASE("errors point at the character of the original text") {
    const auto bad = parse_telegram_text("telegram=|2A4G|");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "not a hex digit 'G' at character 13");
    const auto unclosed = parse_telegram_text("telegram=|2A44");
    REQUIRE_FALSE(unclosed);
    CHECK(unclosed.error().code == "wmbus.bad-text");
    CHECK_FALSE(parse_telegram_text("2A4"));
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
