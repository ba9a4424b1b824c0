// SPDX-License-Identifier: Apache-2.0
// The readings a scenario gives the territory's meters, turned into the radio telegrams the meters
// would send, so that a simulation goes through the wmbus connector as the field does.
#pragma once

#include <vector>

#include "gateway/config/settings.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// With a wmbus connector configured, the readings of each entity that has a `meter:` in the
/// registry, taken together per instant, become one telegram (mode 5 with the meter's key, in
/// clear without one) published on the connector's first topic, its wildcards filled with
/// "simulateur", in a receiver envelope {"telegram","time"}. Each telegram is decoded back as the
/// gateway will decode it; those readings are what a recording keeps. Other items, and every item
/// without a wmbus connector, are left as they are. The quantities a telegram can carry are those
/// the decoder names: volume (m3), volume_flow (m3/s), energy (Wh), power (W), flow_temperature
/// and return_temperature (Cel). Errors: another quantity for a meter, a meter without its
/// manufacturer, an id that is not 8 decimal digits, and any decoding mismatch.
Result<std::vector<ScheduledReading>> as_meter_telegrams(
    std::vector<ScheduledReading> schedule, const Territory& territory,
    const config::ConnectorSettings& connectors);

}  // namespace passerelle::simulate
