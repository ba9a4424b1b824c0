// SPDX-License-Identifier: Apache-2.0
// What every scenario of `passerelle simulate` shares: scheduled readings, options, the catalogue.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/modbus/register_encoder.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"

namespace passerelle::simulate {

/// One reading to publish, in scenario order.
struct ScheduledReading {
    std::string topic;
    Reading reading;
    /// Publish with the MQTT retain flag: set for signals, which are states (a gateway that
    /// restarts must learn the current level from the broker), not for telemetry, which are
    /// events.
    bool retained = false;
    /// Set for a field message (a meter's radio telegram): published as it is instead of the
    /// reading, and recorded as `carried`, the readings the gateway decodes from it. `reading` is
    /// then the first of them, for its time.
    std::string payload;
    std::vector<Reading> carried;
    /// Set for a Modbus device's registers at one instant (see modbus_registers.h): served by the
    /// simulator's Modbus server of the device `topic` names ("modbus://host:port/unit") rather
    /// than published; `carried` then holds the readings the gateway will poll from them.
    std::vector<connectors::modbus::RegisterWrite> registers;
};

struct ScenarioOptions {
    Timestamp start;                           // the scenario's first reading
    Duration step = std::chrono::minutes(15);  // sensors report every 15 min
    /// The territory's zone (`time_zone` of the configuration): where a scenario that follows
    /// local days (nights, evenings) reads them.
    TimeZone zone = TimeZone::utc();
};

/// Where a scenario run at `now` starts: the quarter hour at or before it, so that readings carry
/// the round times a sensor reporting every 15 minutes would give them.
Timestamp scenario_start(Timestamp now);

/// The names `simulate --scenario` accepts: each scenario's name and its aliases
/// ("canicule", "heatwave", "hiver", "winter").
std::vector<std::string> scenario_names();

/// The scenario's own name for a name or an alias ("heatwave" → "canicule"); empty when unknown.
std::string canonical_scenario_name(std::string_view name);

/// The readings of the scenario named `name` (or an alias), in time order. Errors: an unknown
/// name, a step that is not positive, or what the scenario needs and the territory lacks.
Result<std::vector<ScheduledReading>> make_scenario(std::string_view name,
                                                    const Territory& territory,
                                                    const ScenarioOptions& options);

}  // namespace passerelle::simulate
