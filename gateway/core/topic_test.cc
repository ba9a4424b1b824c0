// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/topic.h"

#include <catch2/catch.hpp>

using passerelle::topic_matches;

TEST_CASE("topic filters match as MQTT says", "[topic]") {
    CHECK(topic_matches("telemetry/+/+/temperature", "telemetry/b/logt-1/temperature"));
    CHECK_FALSE(topic_matches("telemetry/+/+/temperature", "telemetry/b/logt-1/humidity"));
    CHECK_FALSE(topic_matches("telemetry/+/+/temperature", "telemetry/b/temperature"));
    CHECK(topic_matches("telemetry/#", "telemetry/b/logt-1/temperature"));
    CHECK(topic_matches("telemetry/#", "telemetry"));
    CHECK(topic_matches("#", "a/b"));
    CHECK_FALSE(topic_matches("#", "$SYS/broker/uptime"));
    CHECK_FALSE(topic_matches("+/broker/uptime", "$SYS/broker/uptime"));
    CHECK(topic_matches("$SYS/#", "$SYS/broker/uptime"));
    CHECK(topic_matches("a//c", "a//c"));
    CHECK(topic_matches("a/+/c", "a//c"));
    CHECK_FALSE(topic_matches("a/b", "a/b/c"));
    CHECK_FALSE(topic_matches("a/b/c", "a/b"));
    CHECK(topic_matches("a/+", "a/"));
}

TEST_CASE("topic filters are validated", "[topic]") {
    CHECK(passerelle::validate_topic_filter("telemetry/+/+/temperature").has_value());
    CHECK(passerelle::validate_topic_filter("a/#").has_value());
    CHECK_FALSE(passerelle::validate_topic_filter("a/#/b").has_value());
    CHECK_FALSE(passerelle::validate_topic_filter("a/b#").has_value());
    CHECK_FALSE(passerelle::validate_topic_filter("a/+b").has_value());
    CHECK_FALSE(passerelle::validate_topic_filter("").has_value());
    CHECK_FALSE(passerelle::validate_topic_name("a/+").has_value());
}

TEST_CASE("canonical topics split into provider, entity and quantity", "[topic]") {
    auto telemetry = passerelle::parse_canonical_topic("telemetry/bailleur-sud/logt-12/temperature");
    REQUIRE(telemetry.has_value());
    CHECK(telemetry->provider == "bailleur-sud");
    CHECK(telemetry->entity == "logt-12");
    CHECK(telemetry->quantity == "temperature");
    auto signal = passerelle::parse_canonical_topic("signal/ville/canicule-level");
    REQUIRE(signal.has_value());
    CHECK(signal->kind == passerelle::TopicKind::Signal);
    CHECK(signal->entity == "canicule-level");
    auto other = passerelle::parse_canonical_topic("notify/ccas/x/y");
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error().message == "topic 'notify/ccas/x/y' is neither telemetry/... nor signal/...");
}

TEST_CASE("a filter covers the filters whose topics it all matches", "[topic]") {
    using passerelle::filter_covers;
    CHECK(filter_covers("telemetry/#", "telemetry/+/+/temperature"));
    CHECK(filter_covers("telemetry/+/+/+", "telemetry/hs/d-1/temperature"));
    CHECK(filter_covers("telemetry/+/+/temperature", "telemetry/+/+/temperature"));
    CHECK_FALSE(filter_covers("telemetry/+/+/temperature", "telemetry/#"));
    CHECK_FALSE(filter_covers("telemetry/hs/+/temperature", "telemetry/+/+/temperature"));
    CHECK_FALSE(filter_covers("telemetry/+/+", "telemetry/+/+/temperature"));
    CHECK_FALSE(filter_covers("signal/ville/x", "signal/ville/y"));
}

TEST_CASE("data made one topic level", "[topic]") {
    CHECK(passerelle::as_topic_level("hs-a-101") == "hs-a-101");
    CHECK(passerelle::as_topic_level("bât A/2") == "b__t_A_2");
    CHECK(passerelle::as_topic_level("") == "_");
}
