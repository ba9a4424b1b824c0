// SPDX-License-Identifier: Apache-2.0
// Explanations of transitions: what made the engine evaluate the rule, and the inputs it read.
#include "rules/engine/explanation.h"

#include <catch2/catch.hpp>

#include "rules/engine/rule_fixture.h"

using namespace passerelle;                  // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;           // NOLINT(google-build-using-namespace)
using namespace passerelle::rules::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

nlohmann::json explanation_of(const Fixture& f) {
    REQUIRE(f.last_events.size() == 1);
    REQUIRE(f.last_events[0].explanation != nullptr);
    return to_json(*f.last_events[0].explanation);
}

nlohmann::json input(const std::string& source, nlohmann::json value) {
    return {{"source", source}, {"value", std::move(value)}};
}

}  // namespace

TEST_CASE("a `for` elapsing is explained by the inputs at the deadline", "[engine][explain]") {
    Fixture f(R"(  - id: canicule
    listen: telemetry/+/+/temperature
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    for: 2h
    clear: value < 26.5
)");
    REQUIRE(f.compiled());
    f.feed("signal/ville/canicule-level", 0min, 3);
    CHECK(f.feed("telemetry/hs/a-1/temperature", 10min, 29.5).empty());
    REQUIRE(f.advance(130min) == Events{"firing a-1 @130"});
    const auto fired = explanation_of(f);
    CHECK(fired["cause"] == "deadline");
    CHECK(fired["topic"] == "telemetry/hs/a-1/temperature");
    CHECK(fired["when"] == "value >= 28 and last(\"signal/ville/canicule-level\") >= 3");
    CHECK(fired["when_result"] == true);
    CHECK(fired["clear_result"] == false);
    CHECK(fired["inputs"] ==
          nlohmann::json::array(
              {input("value", 29.5), input("last(\"signal/ville/canicule-level\")", 3)}));
    CHECK(fired["pending_since"] == "2026-07-14T01:10:00Z");
    CHECK(fired["firing_since"] == "2026-07-14T03:10:00Z");
    CHECK(fired["for_s"] == 7200);

    REQUIRE(f.feed("telemetry/hs/a-1/temperature", 140min, 26) == Events{"resolved a-1 @140"});
    const auto resolved = explanation_of(f);
    CHECK(resolved["cause"] == "reading");
    CHECK(resolved["clear"] == "value < 26.5");
    CHECK(resolved["clear_result"] == true);
    CHECK(resolved["inputs"][0] == input("value", 26));
}

TEST_CASE("an unknown input is explained as such", "[engine][explain]") {
    Fixture f(R"(  - id: canicule
    listen: telemetry/+/+/temperature
    when: value >= 28 or last("signal/ville/canicule-level") >= 3
)");
    REQUIRE(f.compiled());
    // No heatwave level ever received: `or` is decided by the temperature alone.
    REQUIRE(f.feed("telemetry/hs/a-1/temperature", 0min, 30) == Events{"firing a-1 @0"});
    const auto fired = explanation_of(f);
    CHECK(fired["inputs"][1] == input("last(\"signal/ville/canicule-level\")", nullptr));
    CHECK_FALSE(fired.contains("clear"));
}

TEST_CASE("a window and a joined value changing are explained", "[engine][explain]") {
    Fixture f(R"(  - id: chaud-moyen
    listen: telemetry/+/+/temperature
    when: avg(temperature, 1h) >= 28 and last("signal/ville/canicule-level") >= 3
)");
    REQUIRE(f.compiled());
    f.feed("signal/ville/canicule-level", 0min, 3);
    for (int m = 0; m < 60; m += 15) {
        f.feed("telemetry/hs/a-1/temperature", std::chrono::minutes(m), 30);
    }
    REQUIRE(f.advance(60min) == Events{"firing a-1 @60"});
    const auto fired = explanation_of(f);
    CHECK(fired["cause"] == "clock");
    CHECK(fired["inputs"][0] == input("avg(temperature, 1h)", 30));
    // The level falls: the alert ends at once, because of the joined value.
    REQUIRE(f.feed("signal/ville/canicule-level", 61min, 1) == Events{"resolved a-1 @61"});
    const auto resolved = explanation_of(f);
    CHECK(resolved["cause"] == "joined value changed");
    CHECK(resolved["when_result"] == false);
    CHECK(resolved["inputs"][1] == input("last(\"signal/ville/canicule-level\")", 1));
}
