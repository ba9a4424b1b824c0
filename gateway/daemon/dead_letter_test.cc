// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/dead_letter.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using passerelle::daemon::dead_letter_payload;

namespace {
const passerelle::Timestamp kNow = *passerelle::timestamp_from_epoch_seconds(1783990800.0);
}

TEST_CASE("a dead letter names the topic, the reason and shows the payload", "[dead-letter]") {
    const auto body = nlohmann::json::parse(dead_letter_payload(
        "telemetry/a/b/temperature", "senml.bad-record", "record 0: 'v' must be a number",
        R"([{"v":"hot"}])", kNow));
    CHECK(body["topic"] == "telemetry/a/b/temperature");
    CHECK(body["code"] == "senml.bad-record");
    CHECK(body["reason"] == "record 0: 'v' must be a number");
    CHECK(body["payload"] == R"([{"v":"hot"}])");
    CHECK(body["payload_bytes"] == 13);
    CHECK(body["ts"] == "2026-07-14T01:00:00Z");
}

TEST_CASE("binary payloads are shown as hex, long ones cut", "[dead-letter]") {
    const auto binary = nlohmann::json::parse(
        dead_letter_payload("t", "c", "r", std::string("\xff\x00\x41", 3), kNow));
    CHECK(binary["payload_hex"] == "ff0041");
    CHECK_FALSE(binary.contains("payload"));
    const std::string big(10000, 'x');
    const auto cut = nlohmann::json::parse(dead_letter_payload("t", "c", "r", big, kNow));
    CHECK(cut["payload"].get<std::string>().size() == passerelle::daemon::kDeadLetterExcerptBytes);
    CHECK(cut["payload_bytes"] == 10000);
    // A cut never splits a UTF-8 character.
    std::string accents;
    for (int i = 0; i < 200; ++i) {
        accents += "é";
    }
    const auto utf8 = nlohmann::json::parse(dead_letter_payload("t", "c", "r", accents, kNow));
    CHECK(utf8["payload"].get<std::string>().size() == 256);
}
