// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/router.h"

#include <catch2/catch.hpp>

#include "gateway/routing/router_test_support.h"
#include "tests/support/schema_keys.h"

namespace passerelle::routing {

using namespace router_test;
using namespace std::chrono_literals;

TEST_CASE("a route gathers a building's alerts in one notice after group_wait", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0 + 2min);
    fixture.feed(router, "b-1", rules::AlertStatus::Firing, t0 + 3min);
    CHECK(router.next_due() == t0 + 5min);
    CHECK(flush(router, t0 + 4min).empty());

    const auto first = flush(router, t0 + 5min);
    REQUIRE(first.size() == 1);
    CHECK(first[0].topic == "notify/ccas/canicule/a");
    CHECK(first[0].receiver == "ccas");
    CHECK(first[0].alert_keys == std::vector<std::string>{"a-1", "a-2"});
    CHECK(first[0].notice == "group-1");
    CHECK(first[0].agreements == std::vector<std::string>{"canicule-hs-ccas"});
    const auto payload = nlohmann::json::parse(first[0].payload);
    CHECK(payload["count"] == 2);
    CHECK(payload["firing"] == 2);
    CHECK(payload["labels"]["building"] == "a");
    CHECK(payload["message"] == "a-1 chaud\na-2 chaud");
    CHECK(payload["alerts"][1]["key"] == "a-2");
    testing::check_schema_keys("routed-notification.schema.json", first[0].payload);

    const auto second = flush(router, t0 + 8min);
    REQUIRE(second.size() == 1);
    CHECK(second[0].group_key == "b");
}

TEST_CASE("changes wait for group_interval; a group quiet for repeat_interval is said again",
          "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);
    // a-2 joins 1 minute later: told 15 minutes after the first notice, not before.
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0 + 6min);
    CHECK(router.next_due() == t0 + 20min);
    CHECK(flush(router, t0 + 19min).empty());
    const auto joined = flush(router, t0 + 20min);
    REQUIRE(joined.size() == 1);
    CHECK(joined[0].alert_keys.size() == 2);
    // Nothing changes: the same notice 4 hours later, marked as a repeat.
    CHECK(router.next_due() == t0 + 20min + 4h);
    const auto repeat = flush(router, t0 + 20min + 4h);
    REQUIRE(repeat.size() == 1);
    CHECK(nlohmann::json::parse(repeat[0].payload)["repeat"] == 1);
    testing::check_schema_keys("routed-notification.schema.json", repeat[0].payload);
    // Both resolve long after: said at once, then the group is gone.
    fixture.feed(router, "a-1", rules::AlertStatus::Resolved, t0 + 6h);
    fixture.feed(router, "a-2", rules::AlertStatus::Resolved, t0 + 6h);
    const auto resolved = flush(router, t0 + 6h);
    REQUIRE(resolved.size() == 1);
    CHECK(resolved[0].status == rules::AlertStatus::Resolved);
    CHECK(nlohmann::json::parse(resolved[0].payload)["resolved"] == 2);
    CHECK(router.group_count() == 0);
    CHECK_FALSE(router.next_due());
}

TEST_CASE("the desk is the one whose hours hold; none holding, the notice waits", "[routing]") {
    RouterFixture fixture;
    TimeInterval office;
    office.id = "bureau";
    office.weekdays = 0x1f;
    office.hours = {{510, 1050}};  // 08:30-17:30 UTC here
    Route route = grouped_by_building();
    route.receivers = {Receiver{"", "bureau", false, {}},
                       Receiver{"astreinte", "bureau", true, {}}};
    Router router(routes_config({route}, {office}), fixture.territory, TimeZone::utc());
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, at("2026-07-15T20:00:00Z"));
    const auto night = flush(router, at("2026-07-15T20:05:00Z"));
    REQUIRE(night.size() == 1);
    CHECK(night[0].receiver == "ccas/astreinte");
    CHECK(night[0].topic == "notify/ccas/astreinte/canicule/a");

    // Office hours only: the night's alert waits for the office to open.
    Route office_only = grouped_by_building();
    office_only.receivers = {Receiver{"", "bureau", false, {}}};
    Router waiting(routes_config({office_only}, {office}), fixture.territory, TimeZone::utc());
    fixture.feed(waiting, "a-1", rules::AlertStatus::Firing, at("2026-07-15T20:00:00Z"));
    CHECK(flush(waiting, at("2026-07-15T20:05:00Z")).empty());
    CHECK(waiting.next_due() == at("2026-07-16T08:30:00Z"));
    const auto morning = flush(waiting, at("2026-07-16T08:30:00Z"));
    REQUIRE(morning.size() == 1);
    CHECK(morning[0].receiver == "ccas");
}

TEST_CASE("a route takes its recipient's notifications of its rules and labels", "[routing]") {
    RouterFixture fixture;
    Route route = grouped_by_building();
    route.rules = {"canicule"};
    route.match = {{"theme", "canicule"}, {"building", "a"}};
    Router router(routes_config({route}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    const auto in_a = fixture.event("a-1", rules::AlertStatus::Firing, t0);
    const auto in_b = fixture.event("b-1", rules::AlertStatus::Firing, t0);
    CHECK(router.route_of(in_a, fixture.notification(in_a)) != nullptr);
    CHECK(router.route_of(in_b, fixture.notification(in_b)) == nullptr);
    CHECK(router.route_of(in_a, fixture.notification(in_a, "hs")) == nullptr);
    Route other_rule = route;
    other_rule.rules = {"autre"};
    Router elsewhere(routes_config({other_rule}), fixture.territory, TimeZone::utc());
    CHECK(elsewhere.route_of(in_a, fixture.notification(in_a)) == nullptr);
    CHECK(alert_label(in_a, fixture.territory, "severity") == "warning");
    CHECK(alert_label(in_a, fixture.territory, "provider") == "hs");
    CHECK(alert_label(in_a, fixture.territory, "missing").empty());
}

}  // namespace passerelle::routing

namespace passerelle::routing {

TEST_CASE("unacknowledged, a notice escalates step by step; an acknowledgement stops it",
          "[routing]") {
    RouterFixture fixture;
    Route route = grouped_by_building();
    route.escalation = {{30min, "direction", {}}, {1h, "elu", {}}};
    Router router(routes_config({route}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);  // the office, at 10:05
    CHECK(router.next_due() == t0 + 35min);
    const auto first_step = flush(router, t0 + 35min);
    REQUIRE(first_step.size() == 1);
    CHECK(first_step[0].receiver == "ccas/direction");
    CHECK(first_step[0].topic == "notify/ccas/direction/canicule/a");
    CHECK(first_step[0].escalation_step == 1);
    const auto body = nlohmann::json::parse(first_step[0].payload);
    CHECK(body["escalation"]["step"] == 1);
    CHECK(body["escalation"]["of"] == 2);
    CHECK(body["escalation"]["unacknowledged_since"] == "2026-07-15T10:05:00Z");
    testing::check_schema_keys("routed-notification.schema.json", first_step[0].payload);

    // Taken in charge at 10:50: the desk hears who at once, and the second step never comes.
    const auto id = router.group_id("ccas", "canicule", "a");
    REQUIRE(id);
    const auto taken =
        router.acknowledge(Acknowledgement{"ccas", *id, "Mme Martin", "j'appelle"}, t0 + 50min);
    REQUIRE(taken.has_value());
    CHECK_FALSE(taken->again);
    const auto told = flush(router, t0 + 50min);
    REQUIRE(told.size() == 1);
    CHECK(told[0].receiver == "ccas");
    const auto acknowledged = nlohmann::json::parse(told[0].payload)["acknowledged"];
    CHECK(acknowledged["by"] == "Mme Martin");
    CHECK(acknowledged["comment"] == "j'appelle");
    CHECK(acknowledged["at"] == "2026-07-15T10:50:00Z");
    // No reminder either while acknowledged.
    CHECK_FALSE(router.next_due());

    // A new dwelling of the building fires: someone must take charge again.
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0 + 2h);
    REQUIRE(flush(router, t0 + 2h).size() == 1);
    CHECK(router.next_due() == t0 + 2h + 30min);
    CHECK(flush(router, t0 + 2h + 30min).at(0).receiver == "ccas/direction");
}

TEST_CASE("an acknowledgement names an alert or a group of its own recipient", "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    // By one of its alerts' ids, as its own notification gave it.
    const auto by_alert = router.acknowledge(Acknowledgement{"ccas", "id-a-1", "x", ""}, t0);
    REQUIRE(by_alert.has_value());
    CHECK(by_alert->group_key == "a");
    CHECK(router.acknowledge(Acknowledgement{"ccas", "id-a-1", "y", ""}, t0)->again);
    const auto other = router.acknowledge(Acknowledgement{"hs", "id-a-1", "x", ""}, t0);
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error().code == "ack.unknown-alert");
    CHECK_FALSE(router.acknowledge(Acknowledgement{"ccas", "0000000000000000", "x", ""}, t0));
}

TEST_CASE("a group's state survives the store, acknowledgement and escalation included",
          "[routing]") {
    RouterFixture fixture;
    Route route = grouped_by_building();
    route.escalation = {{30min, "direction", {}}};
    const RoutingConfig config = routes_config({route});
    Router router(config, fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);
    const auto keys = router.take_changed_groups();
    REQUIRE(keys.size() == 1);
    const auto state = router.group_state(keys[0]);
    REQUIRE(state);

    Router restarted(config, fixture.territory, TimeZone::utc());
    std::string problem;
    REQUIRE(restarted.restore_group(keys[0], *state, problem));
    CHECK(restarted.next_due() == t0 + 35min);  // the escalation it owed
    const auto step = flush(restarted, t0 + 35min);
    REQUIRE(step.size() == 1);
    CHECK(step[0].notice == "group-2");
    CHECK(step[0].id == *router.group_id("ccas", "canicule", "a"));

    Route other = route;
    other.recipient = "hs";
    Router reconfigured(routes_config({other}), fixture.territory, TimeZone::utc());
    CHECK_FALSE(reconfigured.restore_group(keys[0], *state, problem));
    CHECK(problem == "the route of 'ccas' it belonged to is no longer configured");
    CHECK_FALSE(reconfigured.restore_group(keys[0], "{", problem));
    CHECK(problem == "its state is not JSON");
}

}  // namespace passerelle::routing

namespace passerelle::routing {

TEST_CASE("a substation's fault mutes the alerts of the buildings it serves, and releases them",
          "[routing]") {
    RouterFixture fixture;
    Inhibition fault;
    fault.source = {{"entity", "sst"}};
    fault.target = {{"theme", "canicule"}};
    fault.served = true;
    Router router(routes_config({grouped_by_building()}, {}, {fault}), fixture.territory,
                  TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);
    REQUIRE(flush(router, t0 + 5min).size() == 1);

    // The substation fails: a-1 leaves the notices, a-2 never enters them; b-1 is not served.
    router.observe(fixture.event("sst", rules::AlertStatus::Firing, t0 + 10min));
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0 + 15min);
    fixture.feed(router, "b-1", rules::AlertStatus::Firing, t0 + 15min);
    // Someone acknowledges the muted alerts: nothing to tell anyone.
    REQUIRE(router.acknowledge(Acknowledgement{"ccas", "id-a-2", "x", ""}, t0 + 20min));
    const auto during = flush(router, t0 + 3h);
    REQUIRE(during.size() == 1);
    CHECK(during[0].group_key == "b");
    CHECK(router.next_due() != t0 + 5min + 4h);  // no reminder of muted alerts

    // Repaired at 11:00 while a-1 and a-2 are still too hot: both are told at once.
    router.observe(fixture.event("sst", rules::AlertStatus::Resolved, t0 + 1h));
    const auto released = flush(router, t0 + 1h);
    REQUIRE(released.size() == 1);
    CHECK(released[0].alert_keys == std::vector<std::string>{"a-1", "a-2"});
    CHECK(nlohmann::json::parse(released[0].payload)["count"] == 2);
    CHECK(fault.mutes({{"entity", "sst"}}, {{"theme", "canicule"}, {"served_by", "sst"}}));
    CHECK_FALSE(fault.mutes({{"entity", "sst"}}, {{"theme", "canicule"}, {"served_by", "x"}}));
}

TEST_CASE("an alert muted from its start to its end is never told", "[routing]") {
    RouterFixture fixture;
    Inhibition same_building;
    same_building.source = {{"key", "a-1"}};
    same_building.target = {{"rule", "canicule"}};
    same_building.equal = {"building"};
    Router router(routes_config({grouped_by_building()}, {}, {same_building}), fixture.territory,
                  TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    router.observe(fixture.event("a-1", rules::AlertStatus::Firing, t0));
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0);  // the source itself is told
    fixture.feed(router, "a-2", rules::AlertStatus::Firing, t0);
    const auto first = flush(router, t0 + 5min);
    REQUIRE(first.size() == 1);
    CHECK(first[0].alert_keys == std::vector<std::string>{"a-1"});
    fixture.feed(router, "a-2", rules::AlertStatus::Resolved, t0 + 30min);
    CHECK(flush(router, t0 + 2h).empty());
}

}  // namespace passerelle::routing

namespace passerelle::routing {

TEST_CASE("a silence mutes its recipient's matching alerts until it ends or is expired",
          "[routing]") {
    RouterFixture fixture;
    Router router(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    const Timestamp t0 = at("2026-07-15T10:00:00Z");
    Silence works{"0123456789abcdef", "ccas", {{"building", "a"}}, t0, t0 + 2h, "x", "travaux"};
    router.add_silence(works);
    fixture.feed(router, "a-1", rules::AlertStatus::Firing, t0 + 10min);
    fixture.feed(router, "b-1", rules::AlertStatus::Firing, t0 + 10min);
    const auto during = flush(router, t0 + 1h);
    REQUIRE(during.size() == 1);
    CHECK(during[0].group_key == "b");
    CHECK(router.silences().size() == 1);

    // At its end, a-1 still fires: told then, as a new alert of its group (after group_wait).
    CHECK(router.next_due() == t0 + 2h);
    CHECK(flush(router, t0 + 2h).empty());
    const auto after = flush(router, t0 + 2h + 5min);
    REQUIRE(after.size() == 1);
    CHECK(after[0].alert_keys == std::vector<std::string>{"a-1"});
    CHECK(router.silences().empty());

    // Another silence, ended early by its recipient; another recipient cannot end it.
    Silence again = works;
    again.id = "fedcba9876543210";
    again.starts = t0 + 3h;
    again.ends = t0 + 10h;
    router.add_silence(again);
    CHECK(router.expire_silence("hs", again.id, t0 + 4h).error().code == "silence.unknown");
    const auto expired = router.expire_silence("ccas", again.id, t0 + 4h);
    REQUIRE(expired.has_value());
    CHECK(expired->ends == t0 + 4h);
    const auto keys = router.take_changed_groups();
    CHECK(std::find(keys.begin(), keys.end(), "silence/" + again.id) != keys.end());
    CHECK_FALSE(router.group_state("silence/" + again.id));

    // Kept by the store like the groups.
    router.add_silence(works);
    const auto state = router.group_state("silence/" + works.id);
    REQUIRE(state);
    Router restarted(routes_config({grouped_by_building()}), fixture.territory, TimeZone::utc());
    std::string problem;
    REQUIRE(restarted.restore_group("silence/" + works.id, *state, problem));
    CHECK(restarted.silences().size() == 1);
}

}  // namespace passerelle::routing
