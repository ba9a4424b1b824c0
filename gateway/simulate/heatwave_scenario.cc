// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/heatwave_scenario.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "gateway/core/topic.h"

namespace passerelle::simulate {
namespace {

using std::chrono::hours;

constexpr Duration kLength = hours(48);

// Exposure of a dwelling to outdoor heat, 0.2 (cool, north, low floor) to 1.1 (top floor, south),
// from its id so that runs repeat exactly.
double exposure_of(const std::string& id) {
    std::uint32_t hash = 2166136261U;
    for (const char c : id) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return 0.2 + 0.9 * static_cast<double>(hash % 1000U) / 999.0;
}

int vigilance_level(Duration elapsed) {
    if (elapsed < hours(6)) {
        return 1;
    }
    if (elapsed < hours(12)) {
        return 2;
    }
    if (elapsed < hours(40)) {
        return 3;
    }
    return elapsed < hours(44) ? 2 : 1;
}

// Extra indoor heat, in °C for a fully exposed dwelling: rises for a day, holds, falls after the
// storm at 38 h.
double heat_load(Duration elapsed) {
    const double h = std::chrono::duration<double, std::ratio<3600>>(elapsed).count();
    if (h < 24.0) {
        return 7.5 * h / 24.0;
    }
    if (h < 38.0) {
        return 7.5;
    }
    return std::max(0.0, 7.5 - (h - 38.0) * 1.25);
}

double round_to_tenth(double value) {
    return std::round(value * 10.0) / 10.0;
}

}  // namespace

Result<std::vector<ScheduledReading>> heatwave_scenario(const Territory& territory,
                                                        const ScenarioOptions& options) {
    if (options.step <= Duration::zero()) {
        return make_error("simulate.bad-step", "the scenario's step must be longer than zero");
    }
    const Stakeholder* town = territory.find_stakeholder("ville");
    for (const auto& stakeholder : territory.stakeholders) {
        if (town == nullptr && stakeholder.kind == "ville") {
            town = &stakeholder;
        }
    }
    if (town == nullptr) {
        return make_error("simulate.no-town",
                          "the heatwave scenario needs the town: a stakeholder of kind 'ville'");
    }
    std::vector<const Entity*> dwellings;
    for (const auto& entity : territory.entities.all()) {
        if (entity.type == "dwelling") {
            dwellings.push_back(&entity);
        }
    }
    if (dwellings.empty()) {
        return make_error("simulate.no-dwellings",
                          "the heatwave scenario needs entities of type 'dwelling'");
    }
    std::vector<ScheduledReading> out;
    const std::string level_topic = signal_topic(town->id, "canicule-level");
    int last_level = 0;
    for (Duration elapsed{0}; elapsed <= kLength; elapsed += options.step) {
        const Timestamp t = options.start + elapsed;
        const int level = vigilance_level(elapsed);
        if (level != last_level) {
            out.push_back({level_topic,
                           Reading{town->id, "canicule-level", "canicule-level",
                                   static_cast<double>(level), "", t},
                           /*retained=*/true,
                           {},
                           {},
                           {}});
            last_level = level;
        }
        const auto day = std::chrono::floor<std::chrono::days>(t);
        const double hour_of_day = std::chrono::duration<double, std::ratio<3600>>(t - day).count();
        // Warmest indoors late afternoon (17:00 UTC), coolest at dawn.
        const double daily = std::cos(2.0 * std::numbers::pi * (hour_of_day - 17.0) / 24.0);
        for (const Entity* dwelling : dwellings) {
            const double exposure = exposure_of(dwelling->id);
            const double temperature =
                23.5 + exposure * heat_load(elapsed) + (0.4 + 0.8 * exposure) * daily;
            out.push_back({telemetry_topic(dwelling->provider, dwelling->id, "temperature"),
                           Reading{dwelling->provider, dwelling->id, "temperature",
                                   round_to_tenth(temperature), "Cel", t},
                           /*retained=*/false,
                           {},
                           {},
                           {}});
        }
    }
    return out;
}

}  // namespace passerelle::simulate
