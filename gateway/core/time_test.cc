// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/time.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using passerelle::Duration;
using passerelle::format_utc;
using passerelle::parse_duration;
using passerelle::parse_utc;

TEST_CASE("durations read as people write them", "[time]") {
    CHECK(parse_duration("2h") == Duration(2h));
    CHECK(parse_duration("15min") == Duration(15min));
    CHECK(parse_duration("15m") == Duration(15min));
    CHECK(parse_duration("90s") == Duration(90s));
    CHECK(parse_duration("500ms") == Duration(500ms));
    CHECK(parse_duration("1h30min") == Duration(90min));
    CHECK(parse_duration("3d") == Duration(72h));
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("2 h").has_value());
    CHECK_FALSE(parse_duration("h").has_value());
    CHECK_FALSE(parse_duration("2hours").has_value());
    CHECK_FALSE(parse_duration("99999999999999h").has_value());
    CHECK_FALSE(parse_duration("3000000000h").has_value());
    CHECK_FALSE(parse_duration("36600d1s").has_value());
    CHECK(parse_duration("36600d") == Duration(std::chrono::days(36600)));
}

TEST_CASE("durations print in their shortest exact form", "[time]") {
    CHECK(passerelle::format_duration(Duration(2h)) == "2h");
    CHECK(passerelle::format_duration(Duration(90min)) == "1h30min");
    CHECK(passerelle::format_duration(Duration(0)) == "0s");
    CHECK(passerelle::format_duration(Duration(1500ms)) == "1s500ms");
}

TEST_CASE("timestamps print as UTC ISO 8601", "[time]") {
    auto t = passerelle::timestamp_from_epoch_seconds(1783990000.0);
    REQUIRE(t.has_value());
    CHECK(passerelle::format_utc(*t) == "2026-07-14T00:46:40Z");
    CHECK(passerelle::format_utc(*t + 250ms) == "2026-07-14T00:46:40.250Z");
    CHECK_FALSE(passerelle::timestamp_from_epoch_seconds(-1.0).has_value());
    CHECK_FALSE(passerelle::timestamp_from_epoch_seconds(1e13).has_value());
}

TEST_CASE("parse_utc takes RFC 3339 UTC times only", "[time]") {
    const auto time = parse_utc("2026-07-14T10:00:00Z");
    REQUIRE(time.has_value());
    CHECK(format_utc(*time) == "2026-07-14T10:00:00Z");
    CHECK(format_utc(*parse_utc("2026-07-14T10:00:00.25Z")) == "2026-07-14T10:00:00.250Z");
    CHECK_FALSE(parse_utc("2026-07-14T10:00:00+02:00"));
    CHECK_FALSE(parse_utc("2026-02-30T10:00:00Z"));
    CHECK_FALSE(parse_utc("2026-07-14T24:00:00Z"));
    CHECK_FALSE(parse_utc("2026-07-14"));
    CHECK_FALSE(parse_utc(""));
}
