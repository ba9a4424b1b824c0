// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/silence.h"

#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.h"

namespace passerelle::routing {
namespace {

using namespace std::chrono_literals;

const Timestamp kNow = *parse_rfc3339("2026-07-15T10:00:00Z");

std::string code(std::string_view payload) {
    const auto request = parse_silence_request("notify/hs/silence", payload, kNow);
    return request ? std::string("ok") : request.error().code;
}

}  // namespace

TEST_CASE("a silence names its alerts, its end, who and why", "[routing]") {
    const auto request = parse_silence_request(
        "notify/hs/silence",
        R"({"matchers": {"building": "hs-bat-a", "rule": "logement-froid"}, "for": "3d",
            "author": "M. Leroy", "reason": "travaux de chauffage"})",
        kNow);
    REQUIRE(request.has_value());
    REQUIRE(request->add);
    const Silence& silence = *request->add;
    CHECK(silence.recipient == "hs");
    CHECK(silence.matchers.size() == 2);
    CHECK(silence.starts == kNow);
    CHECK(silence.ends == kNow + 72h);
    CHECK(silence.id.size() == 16);
    CHECK(
        silence.covers("hs", {{"building", "hs-bat-a"}, {"rule", "logement-froid"}, {"key", "x"}}));
    CHECK_FALSE(silence.covers("hs", {{"building", "hs-bat-a"}}));
    CHECK_FALSE(silence.covers("ccas", {{"building", "hs-bat-a"}, {"rule", "logement-froid"}}));
    const auto back = silence_from_json(to_json(silence));
    REQUIRE(back);
    CHECK(back->id == silence.id);
    CHECK(back->ends == silence.ends);
    CHECK(back->matchers == silence.matchers);

    const auto until = parse_silence_request(
        "notify/hs/silence",
        R"({"matchers": {"key": "a-1"}, "until": "2026-07-16T08:00:00Z", "author": "x",
            "reason": "capteur remplacé"})",
        kNow);
    REQUIRE(until.has_value());
    CHECK(until->add->ends == kNow + 22h);

    const auto expire = parse_silence_request(
        "notify/hs/silence", R"({"expire": "5b0c2f5e9d7a1c33", "author": "x"})", kNow);
    REQUIRE(expire.has_value());
    CHECK_FALSE(expire->add);
    CHECK(expire->expire == "5b0c2f5e9d7a1c33");
}

TEST_CASE("a malformed silence says what is wrong", "[routing]") {
    CHECK(code("[]") == "silence.bad-json");
    CHECK(code(R"({"matchers": {"key": "a"}, "for": "1h", "reason": "r"})") == "silence.no-author");
    CHECK(code(R"({"for": "1h", "author": "a", "reason": "r"})") == "silence.no-matcher");
    CHECK(code(R"({"matchers": {}, "for": "1h", "author": "a", "reason": "r"})") ==
          "silence.no-matcher");
    CHECK(code(R"({"matchers": {"key": 3}, "for": "1h", "author": "a", "reason": "r"})") ==
          "silence.no-matcher");
    CHECK(code(R"({"matchers": {"key": "a"}, "for": "1h", "author": "a"})") == "silence.no-reason");
    CHECK(code(R"({"matchers": {"key": "a"}, "author": "a", "reason": "r"})") == "silence.bad-end");
    CHECK(code(R"({"matchers": {"key": "a"}, "for": "32d", "author": "a", "reason": "r"})") ==
          "silence.bad-end");
    CHECK(code(R"({"matchers": {"key": "a"}, "until": "2026-07-15T09:00:00Z", "author": "a",
                   "reason": "r"})") == "silence.bad-end");
    CHECK(code(R"({"matchers": {"key": "a"}, "for": "1h", "until": "2026-07-16T09:00:00Z",
                   "author": "a", "reason": "r"})") == "silence.bad-end");
    CHECK(code(R"({"expire": "nope", "author": "a"})") == "silence.bad-id");
    CHECK(silence_recipient("notify/hs/silence") == "hs");
    CHECK_FALSE(silence_recipient("notify/hs/x/silence"));
    CHECK_FALSE(silence_recipient("notify//silence"));
}

}  // namespace passerelle::routing
