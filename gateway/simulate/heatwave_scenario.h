// SPDX-License-Identifier: Apache-2.0
// A compressed heatwave over a territory: dwellings warm up as the town's vigilance level rises.
#pragma once

#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// The `canicule` scenario (alias `heatwave`), 48 hours from `options.start` (every
/// `options.step`): vigilance level 1 → 2 (6 h) → 3 (12 h) → 2 (40 h) → 1 (44 h) on
/// signal/<town>/canicule-level, published retained (the level is a state that a gateway starting
/// mid-scenario must find on the broker); each dwelling's indoor temperature, not retained, follows
/// the heat with its own exposure (top floors and south faces warm more) and a daily cycle, then
/// cools after a storm at 38 h. Deterministic: the same territory and start give the same readings.
/// The town is the stakeholder of kind `ville` (or id `ville`); dwellings are entities of type
/// `dwelling`. An error names what the territory lacks.
Result<std::vector<ScheduledReading>> heatwave_scenario(const Territory& territory,
                                                        const ScenarioOptions& options);

}  // namespace passerelle::simulate
