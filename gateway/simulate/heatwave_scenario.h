// SPDX-License-Identifier: Apache-2.0
// A compressed heatwave over a territory: dwellings warm up as the town's vigilance level rises.
#pragma once

#include <string>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::simulate {

/// One reading to publish, in scenario order.
struct ScheduledReading {
    std::string topic;
    Reading reading;
    /// Publish with the MQTT retain flag: set for signals, which are states (a gateway that
    /// restarts must learn the current level from the broker), not for telemetry, which are
    /// events.
    bool retained = false;
};

struct ScenarioOptions {
    Timestamp start;                           // the scenario's first reading
    Duration step = std::chrono::minutes(15);  // sensors report every 15 min
    Duration length = std::chrono::hours(48);
};

/// 48 hours: vigilance level 1 → 2 (6 h) → 3 (12 h) → 2 (40 h) → 1 (44 h) on
/// signal/<town>/canicule-level, published retained (the level is a state that a gateway starting
/// mid-scenario must find on the broker); each dwelling's indoor temperature, not retained, follows
/// the heat with its own exposure (top floors and south faces warm more) and a daily cycle, then
/// cools after a storm at 38 h. Deterministic: the same territory and start give the same readings.
/// The town is the stakeholder of kind `ville` (or id `ville`); dwellings are entities of type
/// `dwelling`. An error names what the territory lacks.
Result<std::vector<ScheduledReading>> heatwave_scenario(const Territory& territory,
                                                        const ScenarioOptions& options);

/// Where a scenario run at `now` starts: the quarter hour at or before it, so that readings carry
/// the round times a sensor reporting every 15 minutes would give them.
Timestamp scenario_start(Timestamp now);

/// The scenarios `simulate --scenario` knows.
std::vector<std::string> scenario_names();

}  // namespace passerelle::simulate
