// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/acknowledgement.h"

#include <catch2/catch.hpp>

namespace passerelle::routing {

TEST_CASE("an acknowledgement names the notice and who takes charge", "[routing]") {
    const auto ack = parse_acknowledgement(
        "notify/ccas/ack",
        R"({"id": "5b0c2f5e9d7a1c33", "by": "Mme Martin", "comment": "j'appelle"})");
    REQUIRE(ack.has_value());
    CHECK(ack->recipient == "ccas");
    CHECK(ack->id == "5b0c2f5e9d7a1c33");
    CHECK(ack->by == "Mme Martin");
    CHECK(ack->comment == "j'appelle");
    const auto bare = parse_acknowledgement("notify/ccas/ack",
                                            R"({"id": "5b0c2f5e9d7a1c33", "by": "astreinte"})");
    REQUIRE(bare.has_value());
    CHECK(bare->comment.empty());
}

TEST_CASE("only notify/<recipient>/ack is an acknowledgement topic", "[routing]") {
    CHECK(acknowledgement_recipient("notify/ccas/ack") == "ccas");
    CHECK_FALSE(acknowledgement_recipient("notify/ccas/astreinte/ack"));
    CHECK_FALSE(acknowledgement_recipient("notify/ccas/canicule/ack"));  // 4 levels: a key
    CHECK_FALSE(acknowledgement_recipient("notify//ack"));
    CHECK_FALSE(acknowledgement_recipient("notify/ack"));
    CHECK_FALSE(acknowledgement_recipient("telemetry/ccas/ack"));
}

TEST_CASE("a malformed acknowledgement says what is wrong", "[routing]") {
    const auto code = [](std::string_view payload) {
        const auto ack = parse_acknowledgement("notify/ccas/ack", payload);
        return ack ? std::string("ok") : ack.error().code;
    };
    CHECK(code("not json") == "ack.bad-json");
    CHECK(code("[1]") == "ack.bad-json");
    CHECK(code(R"({"by": "x"})") == "ack.bad-id");
    CHECK(code(R"({"id": "5B0C2F5E9D7A1C33", "by": "x"})") == "ack.bad-id");
    CHECK(code(R"({"id": 12, "by": "x"})") == "ack.bad-id");
    CHECK(code(R"({"id": "5b0c2f5e9d7a1c33"})") == "ack.no-author");
    CHECK(code(R"({"id": "5b0c2f5e9d7a1c33", "by": ""})") == "ack.no-author");
    CHECK(code(R"({"id": "5b0c2f5e9d7a1c33", "by": ")" + std::string(201, 'x') + "\"}") ==
          "ack.too-long");
    CHECK(parse_acknowledgement("notify/ccas/x", "{}").error().code == "ack.bad-topic");
}

}  // namespace passerelle::routing
