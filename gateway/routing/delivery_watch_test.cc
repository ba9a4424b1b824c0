// SPDX-License-Identifier: Apache-2.0
// Presence and the fallback desk: a notice whose desk holds no session in time, or that the
// broker refuses, reaches the route's fallback desk.
#include "gateway/routing/delivery_watch.h"

#include <catch2/catch.hpp>

#include "gateway/routing/router_test_support.h"
#include "tests/support/schema_keys.h"

namespace passerelle::routing {

using namespace router_test;
using namespace std::chrono_literals;

namespace {

Route with_fallback() {
    Route route = grouped_by_building();
    route.fallback = Fallback{"secours", 10min, {}};
    return route;
}

PresenceReport presence_of(const char* topic, const char* payload) {
    auto report = parse_presence(topic, payload);
    REQUIRE(report.has_value());
    return *report;
}

}  // namespace

TEST_CASE("a presence names its recipient and desk, online or offline", "[routing]") {
    const auto own = parse_presence("notify/ccas/presence", "online");
    REQUIRE(own.has_value());
    CHECK(own->recipient == "ccas");
    CHECK(own->desk.empty());
    CHECK(own->online);
    CHECK(own->receiver() == "ccas");

    const auto desk = parse_presence("notify/ccas/astreinte/presence", R"({"state": "offline"})");
    REQUIRE(desk.has_value());
    CHECK(desk->receiver() == "ccas/astreinte");
    CHECK_FALSE(desk->online);

    CHECK(parse_presence("notify/ccas/presence", R"("online")")->online);
    // A retained presence cleared: nobody says they are there.
    CHECK_FALSE(parse_presence("notify/ccas/presence", "")->online);

    CHECK(parse_presence("notify/ccas/presence", "here").error().code == "presence.bad-state");
    CHECK(parse_presence("notify/ccas/presence", R"({"state": 1})").error().code ==
          "presence.bad-state");
    for (const char* topic : {"notify/presence", "notify//presence", "notify/ccas//presence",
                              "notify/ccas/a/b/presence", "telemetry/ccas/presence"}) {
        INFO(topic);
        CHECK_FALSE(is_presence_topic(topic));
        CHECK(parse_presence(topic, "online").error().code == "presence.bad-topic");
    }
}

TEST_CASE("a notice its desk does not get in time goes to the fallback desk", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({with_fallback()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    // The CCAS never said it was connected: its notice of 10:05 waits for it until 10:15.
    REQUIRE(flush(router, t0 + 5min).size() == 1);
    CHECK(router.undelivered_count() == 1);
    CHECK(router.next_due() == t0 + 15min);
    CHECK(flush(router, t0 + 14min).empty());

    const auto fallback = flush(router, t0 + 15min);
    REQUIRE(fallback.size() == 1);
    CHECK(fallback[0].receiver == "ccas/secours");
    CHECK(fallback[0].topic == "notify/ccas/secours/canicule/a");
    CHECK(fallback[0].notice == "group-1-fallback");
    CHECK(fallback[0].fallback_for == "ccas");
    CHECK(fallback[0].fallback_reason == "no-session");
    CHECK(fallback[0].agreements == std::vector<std::string>{"canicule-hs-ccas"});
    const auto body = nlohmann::json::parse(fallback[0].payload);
    CHECK(body["receiver"] == "ccas/secours");
    CHECK(body["fallback"]["for"] == "ccas");
    CHECK(body["fallback"]["reason"] == "no-session");
    CHECK(body["fallback"]["since"] == "2026-07-15T10:05:00Z");
    CHECK(body["ts"] == "2026-07-15T10:15:00Z");
    CHECK(body["count"] == 1);
    testing::check_schema_keys("routed-notification.schema.json", fallback[0].payload);
    CHECK(router.undelivered_count() == 0);
}

TEST_CASE("a desk that comes online within the bound got its notices", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({with_fallback()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    router.presence(presence_of("notify/ccas/presence", "offline"), t0);
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);
    CHECK(router.undelivered_count() == 1);
    // Another desk's presence changes nothing for the CCAS's own.
    router.presence(presence_of("notify/ccas/astreinte/presence", "online"), t0 + 6min);
    CHECK(router.undelivered_count() == 1);
    router.presence(presence_of("notify/ccas/presence", "online"), t0 + 8min);
    CHECK(router.undelivered_count() == 0);
    CHECK(flush(router, t0 + 20min).empty());

    // Online when a notice goes: nothing waits; the reminder four hours on neither.
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0 + 30min);
    REQUIRE(flush(router, t0 + 30min).size() == 1);
    CHECK(router.undelivered_count() == 0);
}

TEST_CASE("a notice waiting for its desk gives way to the alert's end", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({with_fallback()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);
    fixture.feed(router, "a-1", rules::AlertStatus::Resolved, t0 + 6min);
    // The end goes to the desk at 10:20 (group_interval); nobody needs to take over an alert
    // that is over.
    const auto ended = flush(router, t0 + 20min);
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].status == rules::AlertStatus::Resolved);
    CHECK(router.undelivered_count() == 0);
    CHECK_FALSE(router.next_due());
}

TEST_CASE("escalation steps' desks are watched too; the fallback desk itself is not", "[routing]") {
    RouterFixture fixture;
    Route route = with_fallback();
    route.escalation = {{30min, "direction", {}}};
    route.receivers = {Receiver{"secours", {}, false, {}}};
    Router router(routes_config({route}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).at(0).receiver == "ccas/secours");
    CHECK(router.undelivered_count() == 0);
    REQUIRE(flush(router, t0 + 35min).at(0).receiver == "ccas/direction");
    CHECK(router.undelivered_count() == 1);
    const auto fallback = flush(router, t0 + 45min);
    REQUIRE(fallback.size() == 1);
    CHECK(fallback[0].fallback_for == "ccas/direction");
    CHECK(fallback[0].escalation_step == 1);
}

TEST_CASE("presences and waiting notices survive a restart", "[routing]") {
    RouterFixture fixture;
    const RoutingConfig config = routes_config({with_fallback()});
    Router router(config, fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    router.presence(presence_of("notify/ccas/astreinte/presence", "online"), t0);
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);

    Router restarted(config, fixture.territory, TimeZone::utc());
    for (const auto& key : router.take_changed_groups()) {
        INFO(key);
        const auto state = router.group_state(key);
        REQUIRE(state);
        std::string problem;
        REQUIRE(restarted.restore_group(key, *state, problem));
    }
    CHECK(restarted.undelivered_count() == 1);
    CHECK(restarted.next_due() == t0 + 15min);
    const auto fallback = flush(restarted, t0 + 15min);
    REQUIRE(fallback.size() == 1);
    CHECK(fallback[0].fallback_for == "ccas");

    // Without the route's fallback, what waited is dropped with a reason.
    Router reconfigured(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    std::string problem;
    const auto waiting =
        router.group_state("undelivered/" + *router.group_id("ccas", "canicule", "a") + "/ccas");
    REQUIRE(waiting);
    CHECK_FALSE(reconfigured.restore_group(
        "undelivered/" + *router.group_id("ccas", "canicule", "a") + "/ccas", *waiting, problem));
    CHECK(problem.find("no longer configured") != std::string::npos);
    CHECK_FALSE(reconfigured.restore_group("presence/ccas", "[1]", problem));
}

TEST_CASE("a notice the broker refuses goes to the fallback desk at once", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({with_fallback()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    router.presence(presence_of("notify/ccas/presence", "online"), t0);
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    const auto sent = flush(router, t0 + 5min);
    REQUIRE(sent.size() == 1);

    const auto fallback = router.refused(sent[0].payload, {"canicule-hs-ccas"}, {"hs"}, t0 + 6min);
    REQUIRE(fallback);
    CHECK(fallback->receiver == "ccas/secours");
    CHECK(fallback->notice == "group-1-fallback");
    CHECK(fallback->fallback_reason == "refused");
    CHECK(fallback->alert_keys == std::vector<std::string>{"a-1"});
    CHECK(fallback->providers == std::vector<std::string>{"hs"});
    const auto body = nlohmann::json::parse(fallback->payload);
    CHECK(body["fallback"]["since"] == "2026-07-15T10:05:00Z");
    CHECK(body["fallback"]["reason"] == "refused");

    // Its own refusal goes nowhere further; a rule's own notification has no route.
    CHECK_FALSE(router.refused(fallback->payload, {}, {}, t0 + 7min));
    CHECK_FALSE(router.refused(R"({"id": "x", "rule": "canicule"})", {}, {}, t0 + 7min));
    CHECK_FALSE(router.refused("not json", {}, {}, t0 + 7min));

    // Refused while it waited for its desk: it waits no more, and is not passed on twice.
    router.presence(presence_of("notify/ccas/presence", "offline"), t0 + 8min);
    fixture.feed(router, "b-1", rules::AlertStatus::Firing, t0 + 8min);
    const auto waiting = flush(router, t0 + 13min);
    REQUIRE(waiting.size() == 1);
    CHECK(router.undelivered_count() == 1);
    REQUIRE(router.refused(waiting[0].payload, {}, {}, t0 + 14min));
    CHECK(router.undelivered_count() == 0);
    CHECK(flush(router, t0 + 30min).empty());
}

}  // namespace passerelle::routing
