// SPDX-License-Identifier: Apache-2.0
// Rules with `flapping:`: one notice when a key flaps, quiet meanwhile, its standing once calm.
#include <catch2/catch.hpp>

#include "rules/actions/notification.h"
#include "rules/engine/rule_fixture.h"

using namespace passerelle;                  // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;           // NOLINT(google-build-using-namespace)
using namespace passerelle::rules::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

const std::string kFlappyRule = R"(  - id: chaud
    listen: telemetry/+/+/temperature
    when: value >= 28
    flapping: {transitions: 4, within: 1h}
)";
const std::string kTopic = "telemetry/hs/a-1/temperature";

// Fired, resolved, fired, resolved within 15 minutes: the 4th transition starts flapping.
void flap(Fixture& f) {
    CHECK(f.feed(kTopic, 0min, 29) == Events{"firing a-1 @0"});
    CHECK(f.feed(kTopic, 5min, 25) == Events{"resolved a-1 @5"});
    CHECK(f.feed(kTopic, 10min, 29) == Events{"firing a-1 @10"});
    CHECK(f.feed(kTopic, 15min, 25) == Events{"flapping a-1 @15"});
}

}  // namespace

TEST_CASE("a key flapping sends one flapping notice, then nothing until calm", "[engine][flap]") {
    Fixture f(kFlappyRule);
    REQUIRE(f.compiled());
    flap(f);
    CHECK(f.feed(kTopic, 20min, 29).empty());
    CHECK(f.feed(kTopic, 25min, 25).empty());
    CHECK(f.feed(kTopic, 30min, 29).empty());
    // Calm for an hour after the last transition (30 min): the alert stands, recipients hear so.
    CHECK(f.advance(89min).empty());
    CHECK(f.advance(90min) == Events{"firing a-1 @90"});
    // Back to normal notices.
    CHECK(f.feed(kTopic, 100min, 25) == Events{"resolved a-1 @100"});
}

TEST_CASE("calm after flapping with the alert gone: a resolved notice", "[engine][flap]") {
    Fixture f(kFlappyRule);
    REQUIRE(f.compiled());
    flap(f);
    // Inactive keys are otherwise forgotten: this one is kept until it calms down.
    CHECK(f.advance(74min).empty());
    CHECK(f.advance(75min) == Events{"resolved a-1 @75"});
    CHECK(f.engine().firing_count() == 0);
    CHECK(f.feed(kTopic, 80min, 29) == Events{"firing a-1 @80"});
}

TEST_CASE("no repeat notices while a key flaps", "[engine][flap]") {
    Fixture f(R"(  - id: chaud
    listen: telemetry/+/+/temperature
    when: value >= 28
    repeat: 10min
    flapping: {transitions: 3, within: 1h}
)");
    REQUIRE(f.compiled());
    f.feed(kTopic, 0min, 29);
    f.feed(kTopic, 1min, 25);
    CHECK(f.feed(kTopic, 2min, 29) == Events{"flapping a-1 @2"});
    // Firing and flapping for an hour: the repeats are held back, the standing comes at calm.
    CHECK(f.advance(61min).empty());
    CHECK(f.advance(62min) == Events{"firing a-1 @62"});
    CHECK(f.advance(72min) == Events{"firing a-1 @72"});  // repeats resume
}

TEST_CASE("flapping is checked when rules load", "[engine][flap]") {
    const auto errors = [](const std::string& flapping) {
        return Fixture(
                   "  - id: chaud\n    listen: telemetry/+/+/temperature\n    when: value >= "
                   "28\n    flapping: " +
                   flapping + "\n")
            .errors;
    };
    CHECK_THAT(errors("{transitions: 1, within: 1h}"),
               Catch::Contains("'transitions' is between 2 and 100, not 1"));
    CHECK_THAT(errors("{transitions: 5, within: 10s}"),
               Catch::Contains("'within' is at least 1min"));
    CHECK_THAT(errors("{transitions: 5}"), Catch::Contains("needs 'transitions' and 'within'"));
    CHECK_THAT(errors("{transitions: 5, within: 1h, windows: 2}"), Catch::Contains("windows"));
    CHECK(errors("{transitions: 5, within: 1h}").empty());
}

TEST_CASE("the flapping notice says why its recipients will hear nothing", "[engine][flap]") {
    Fixture f(kFlappyRule);
    REQUIRE(f.compiled());
    flap(f);
    REQUIRE(f.last_events.size() == 1);
    std::vector<std::string> skipped;
    const auto notices = plan_notifications(f.last_events.at(0), f.territory(), skipped);
    REQUIRE(notices.size() == 1);
    check_notification_schema(notices[0].payload);
    const auto body = nlohmann::json::parse(notices[0].payload);
    CHECK(body["status"] == "flapping");
    CHECK(body["flapping"] == nlohmann::json{{"transitions", 4}, {"within_s", 3600}});
    CHECK(body["message"] ==
          "Alerte instable (chaud, a-1) : 4 changements d'état en 1 h ; notifications "
          "suspendues jusqu'au retour au calme");
    // The episode it belongs to: the one that started at 10 min.
    CHECK(body["started_at"] == "2026-07-14T01:10:00Z");
}
