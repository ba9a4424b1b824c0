// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/heatwave_scenario.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <catch2/catch.hpp>

#include "gateway/core/agreement_test_support.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)

namespace {
Territory territory() {
    Territory t;
    t.stakeholders = {{"ville", "Ville", "ville", {}}, {"hs", "Habitat Sud", "bailleur", {}}};
    for (const char* id : {"a-101", "a-102", "a-201", "a-202", "a-301"}) {
        t.entities.add(Entity{id, "dwelling", "hs", "a", {}, {}, {}, {}});
    }
    passerelle::test_support::share_all(t);
    return t;
}
}  // namespace

TEST_CASE("the heatwave raises the level to 3 and warms dwellings past 28 °C", "[simulate]") {
    simulate::ScenarioOptions options;
    options.start = *timestamp_from_epoch_seconds(1783990800.0);
    auto readings = simulate::heatwave_scenario(territory(), options);
    REQUIRE(readings.has_value());
    std::vector<double> levels;
    std::map<std::string, double> peak;
    for (const auto& item : *readings) {
        if (item.topic == "signal/ville/canicule-level") {
            levels.push_back(std::get<double>(item.reading.value));
        } else {
            CHECK(item.topic == "telemetry/hs/" + item.reading.entity + "/temperature");
            CHECK(item.reading.unit == "Cel");
            auto& p = peak[item.reading.entity];
            p = std::max(p, std::get<double>(item.reading.value));
        }
    }
    CHECK(levels == std::vector<double>{1, 2, 3, 2, 1});
    const auto hot =
        std::count_if(peak.begin(), peak.end(), [](auto& p) { return p.second >= 28; });
    CHECK(hot >= 1);
    CHECK(std::is_sorted(readings->begin(), readings->end(), [](const auto& a, const auto& b) {
        return a.reading.time < b.reading.time;
    }));
    // Deterministic: the same territory and start give the same readings.
    auto again = simulate::heatwave_scenario(territory(), options);
    CHECK(std::get<double>(again->back().reading.value) ==
          std::get<double>(readings->back().reading.value));
}

TEST_CASE("the level signal is retained and temperatures are not", "[simulate]") {
    simulate::ScenarioOptions options;
    options.start = *timestamp_from_epoch_seconds(1783990800.0);
    auto readings = simulate::heatwave_scenario(territory(), options);
    REQUIRE(readings.has_value());
    int signals = 0;
    int temperatures = 0;
    for (const auto& item : *readings) {
        if (item.topic == "signal/ville/canicule-level") {
            ++signals;
            // A gateway restarting mid-heatwave must find the current level on the broker.
            CHECK(item.retained);
        } else {
            ++temperatures;
            CHECK_FALSE(item.retained);
        }
    }
    CHECK(signals == 5);
    CHECK(temperatures > 0);
}

TEST_CASE("a scenario starts on the quarter hour at or before now", "[simulate]") {
    // 2026-07-14T12:00:00Z, a quarter hour.
    const Timestamp quarter = *timestamp_from_epoch_seconds(1784030400.0);
    CHECK(simulate::scenario_start(quarter) == quarter);
    CHECK(simulate::scenario_start(quarter + std::chrono::microseconds(1)) == quarter);
    CHECK(simulate::scenario_start(quarter + std::chrono::minutes(14) + std::chrono::seconds(59)) ==
          quarter);
    CHECK(simulate::scenario_start(quarter + std::chrono::minutes(15)) ==
          quarter + std::chrono::minutes(15));
    CHECK(simulate::scenario_start(quarter - std::chrono::microseconds(1)) ==
          quarter - std::chrono::minutes(15));
    // 12:07:30.250 starts at 12:00, not at 12:07 as flooring to the minute would.
    const Timestamp odd = quarter + std::chrono::minutes(7) + std::chrono::milliseconds(30250);
    CHECK(simulate::scenario_start(odd) == quarter);
}

TEST_CASE("a territory without a town or dwellings is refused with a reason", "[simulate]") {
    Territory empty;
    auto result = simulate::heatwave_scenario(empty, {});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().message ==
          "the heatwave scenario needs the town: a stakeholder of kind 'ville'");
}
