// SPDX-License-Identifier: Apache-2.0
// What the simulator's field stages share: a device's readings of one instant become the one
// message the device would send (a radio telegram, a network server's uplink).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// Builds the message of entity `entity` carrying `readings` (all of one instant, in order).
using BuildFieldMessage = std::function<Result<ScheduledReading>(const std::string& entity,
                                                                 std::vector<Reading> readings)>;

/// Replaces each run of consecutive canonical readings of one entity that `is_device` accepts, at
/// one time, by the message `build` makes of them; everything else stays in place. The first
/// error of `build` is returned.
Result<std::vector<ScheduledReading>> replace_device_readings(
    std::vector<ScheduledReading> schedule,
    const std::function<bool(const std::string& entity)>& is_device,
    const BuildFieldMessage& build);

/// 0 to 1 from an id, so that simulated runs repeat exactly.
double spread_of(const std::string& id);

}  // namespace passerelle::simulate
