// SPDX-License-Identifier: Apache-2.0
// Rules over groups of entities: group_count, group_share and the like, per building.
#include <catch2/catch.hpp>

#include "rules/actions/notification.h"
#include "rules/engine/rule_fixture.h"

using namespace passerelle;                  // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;           // NOLINT(google-build-using-namespace)
using namespace passerelle::rules::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

// Building a: dwellings a-1 to a-4 (a-4 with a vulnerable resident) and a water meter; building
// b: dwelling b-1.
std::vector<Entity> buildings() {
    return {Entity{"a-3", "dwelling", "hs", "a", {}, {}, {}, {}},
            Entity{"a-4", "dwelling", "hs", "a", {{"vulnerable", true}}, {}, {}, {}},
            Entity{"b-1", "dwelling", "hs", "b", {}, {}, {}, {}},
            Entity{"m-a", "water-meter", "hs", "a", {}, {}, {}, {}}};
}

std::string temperature(const std::string& entity) {
    return "telemetry/hs/" + entity + "/temperature";
}

std::string group_rule(const std::string& settings) {
    return "  - id: immeuble-chaud\n    listen: telemetry/+/+/temperature\n    key: "
           "\"{{building}}\"\n" +
           settings;
}

}  // namespace

TEST_CASE("without group.members, the members are the entities heard from", "[engine][group]") {
    Fixture f(
        group_rule("    when: group_share(value >= 28) >= 0.5 and group_count(value >= 28) >= 2\n"),
        TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 29).empty());  // 1 of 1, but fewer than 2
    CHECK(f.feed(temperature("a-2"), 1min, 25).empty());  // 1 of 2
    CHECK(f.feed(temperature("b-1"), 2min, 30).empty());  // building b: 1 of 1
    CHECK(f.feed(temperature("a-3"), 3min, 29) == Events{"firing a @3"});  // 2 of 3
    CHECK(f.feed(temperature("a-4"), 4min, 20).empty());                   // 2 of 4: still half
    CHECK(f.feed(temperature("a-1"), 5min, 27) == Events{"resolved a @5"});
    CHECK(f.engine().groups().member_count() == 5);
}

TEST_CASE("with group.members, the registry's silent members count", "[engine][group]") {
    Fixture f(group_rule("    group: {members: dwelling}\n"
                         "    when: group_share(value >= 28) >= 0.5 and group_known() >= 2\n"),
              TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 29).empty());  // 1 of 4 dwellings
    // The water meter of building a is not a dwelling: not a member, not evaluated.
    CHECK(f.feed(temperature("m-a"), 1min, 35).empty());
    CHECK(f.engine().groups().member_count() == 4);
    CHECK(f.feed(temperature("a-2"), 2min, 29) == Events{"firing a @2"});  // 2 of 4
}

TEST_CASE("a stale member is unknown: it no longer counts, on the clock", "[engine][group]") {
    Fixture f(group_rule("    group: {stale_after: 1h}\n"
                         "    when: group_count(value >= 28) >= 2\n"),
              TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 29).empty());
    CHECK(f.feed(temperature("a-2"), 10min, 29) == Events{"firing a @10"});
    // a-1's reading is more than an hour old from 61 min: the building is no longer known hot.
    CHECK(f.advance(75min) == Events{"resolved a @61"});
}

TEST_CASE("silent members do not end an alert whose clear needs evidence", "[engine][group]") {
    Fixture f(group_rule("    group: {members: dwelling, stale_after: 1h}\n"
                         "    when: group_count(value >= 28) >= 2\n"
                         "    clear: group_count(value < 26) >= 2\n"),
              TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 29).empty());
    CHECK(f.feed(temperature("a-2"), 0min, 29) == Events{"firing a @0"});
    CHECK(f.advance(90min).empty());  // both stale: nothing is known, the alert stays
    CHECK(f.engine().firing_count() == 1);
    CHECK(f.feed(temperature("a-3"), 100min, 25).empty());
    CHECK(f.feed(temperature("a-4"), 101min, 25) == Events{"resolved a @101"});
}

TEST_CASE("group_avg, group_min and group_max follow each member's latest value",
          "[engine][group]") {
    Fixture f(
        group_rule("    when: group_max(value) - group_min(value) > 5 and group_avg(value) > 20\n"),
        TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 20).empty());
    CHECK(f.feed(temperature("a-2"), 1min, 27) == Events{"firing a @1"});    // 7 apart, avg 23.5
    CHECK(f.feed(temperature("a-2"), 2min, 22) == Events{"resolved a @2"});  // 27 is gone
    CHECK(f.feed(temperature("a-1"), 3min, 30) == Events{"firing a @3"});    // 30 and 22
}

TEST_CASE("a member's condition may read its registry entry", "[engine][group]") {
    Fixture f(group_rule("    when: group_count(entity.vulnerable and value >= 28) >= 1\n"),
              TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 30).empty());
    CHECK(f.feed(temperature("a-4"), 1min, 29) == Events{"firing a @1"});
}

TEST_CASE("messages say how many members, and which, the condition counted", "[engine][group]") {
    Fixture f(group_rule(R"(    group: {members: dwelling}
    when: group_count(value >= 28) >= 2
    actions:
      - notify: hs
        message: "{{key}} : {{group_count}}/{{group_size}} logements ≥ 28 °C ({{group_percent | round(0)}} %, {{group_known}} connus) : {{group_entities}}"
  - id: autre
    listen: signal/ville/x
    when: value > 1
)"),
              TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-3"), 0min, 29).empty());
    CHECK(f.feed(temperature("a-2"), 1min, 20).empty());
    CHECK(f.feed(temperature("a-1"), 2min, 28) == Events{"firing a @2"});
    std::vector<std::string> skipped;
    const auto notices = plan_notifications(f.last_events.at(0), f.territory(), skipped);
    REQUIRE(notices.size() == 1);
    check_notification_schema(notices[0].payload);
    CHECK(nlohmann::json::parse(notices[0].payload)["message"] ==
          "a : 2/4 logements ≥ 28 °C (50 %, 3 connus) : a-1, a-3");
}

TEST_CASE("group functions and settings are checked when the rules load",
          "[engine][group][check]") {
    const auto error_of = [](const std::string& rule) {
        return Fixture(rule, TimeZone::utc(), buildings()).errors;
    };
    const auto grouped = [&](const std::string& when, const std::string& more = "") {
        return error_of(group_rule(more + "    when: '" + when + "'\n"));
    };
    // A group function in a rule with one alert per entity: pointed at the call.
    CHECK_THAT(error_of("  - id: r\n    listen: telemetry/+/+/temperature\n"
                        "    when: value > 1 and group_count(value >= 28) >= 2\n"),
               Catch::Contains("r.yaml:5:25: error[expr.arguments]: group_count() reads the "
                               "group of entities whose readings share the rule's key, but this "
                               "rule's key names the entity"));
    CHECK_THAT(grouped("group_count(value) >= 1"),
               Catch::Contains("group_count() takes a condition about each member"));
    CHECK_THAT(grouped("group_avg(value >= 28) > 1"),
               Catch::Contains("group_avg() takes a number of each member"));
    CHECK_THAT(grouped("group_count(last(\"signal/ville/x\") > 1) >= 1"),
               Catch::Contains("last() cannot be used inside a group function"));
    CHECK_THAT(grouped("group_count(valeu >= 28) >= 1"),
               Catch::Contains("r.yaml:6:24: error[expr.unknown-identifier]: unknown identifier "
                               "'valeu'; did you mean 'value'"));
    CHECK_THAT(grouped("group_shar(value >= 28) >= 1"),
               Catch::Contains("did you mean 'group_share'"));
    CHECK_THAT(grouped("group_size(1) >= 1"), Catch::Contains("group_size() takes no argument"));
    CHECK_THAT(grouped("group_size() >= 1", "    group: {members: dweling}\n"),
               Catch::Contains("no entity of the registry has type 'dweling'; did you mean "
                               "'dwelling'"));
    CHECK_THAT(grouped("group_size() >= 1", "    group: {stale_after: 10s}\n"),
               Catch::Contains("'stale_after' is at least 1min"));
    CHECK_THAT(grouped("group_size() >= 1", "    group: {member: dwelling}\n"),
               Catch::Contains("did you mean 'members'"));
    CHECK_THAT(grouped("value > 1", "    group: {members: dwelling}\n"),
               Catch::Contains("'group' is for rules whose conditions use group functions"));
    // Only a rule that counts its members can say how many it counted.
    const auto message_error = [&](const std::string& when, const std::string& key) {
        return error_of("  - id: r\n    listen: telemetry/+/+/temperature\n    key: \"" + key +
                        "\"\n    when: " + when +
                        "\n    actions:\n      - notify: hs\n        message: \"{{group_count}}\"\n"
                        "  - id: z\n    listen: signal/ville/x\n    when: value > 1\n");
    };
    CHECK_THAT(message_error("value > 1", "{{entity}}"), Catch::Contains("group_count"));
    CHECK_THAT(message_error("group_size() > 1", "{{building}}"), Catch::Contains("group_count"));
    CHECK(message_error("group_share(value > 1) > 0.5", "{{building}}").empty());
}

TEST_CASE("a reloaded group rule keeps its members", "[engine][group]") {
    const std::string rule = group_rule(
        "    group: {stale_after: 1h}\n"
        "    when: group_count(value >= 28) >= 2\n");
    Fixture f(rule, TimeZone::utc(), buildings());
    REQUIRE(f.compiled());
    CHECK(f.feed(temperature("a-1"), 0min, 29).empty());
    Diagnostics diagnostics;
    const auto file = load_rules_text(rules_file(rule), "r.yaml", diagnostics);
    REQUIRE(file);
    const auto rules = compile_rules({*file}, f.territory(), diagnostics);
    REQUIRE(rules);
    Engine reloaded(rules, f.territory());
    reloaded.adopt(f.engine());
    CHECK(reloaded.groups().member_count() == 1);
    std::vector<AlertEvent> out;
    reloaded.on_reading(temperature("a-2"),
                        Reading{"hs", "a-2", "temperature", 29.0, "", kStart + 5min}, out);
    REQUIRE(out.size() == 1);
    // a-1's reading goes stale after the reload too, at its own time.
    out.clear();
    reloaded.advance(kStart + 70min, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].status == AlertStatus::Resolved);
    CHECK(out[0].time == kStart + 61min);
}
