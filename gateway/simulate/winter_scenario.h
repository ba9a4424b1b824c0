// SPDX-License-Identifier: Apache-2.0
// A compressed cold spell over a territory, in which the four winter scenarios of the design play
// out once each: a silent sensor, a heating fault, a grid-tension evening and a water leak.
#pragma once

#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// When the winter scenario's events happen, for a start and a zone. "Day N" is the N-th local
/// date after the start's (the start's own date is day 0); times of day are local, in
/// `options.zone`. Intervals include their start and exclude their end.
struct WinterTimeline {
    Timestamp start;
    /// The last dwelling of the registry sends nothing: day 1, 10:00 to 13:00.
    Timestamp silent_from, silent_to;
    /// The first substation supplies 52.5–54.5 °C instead of ~75: day 2, 01:00 to 02:30; it is
    /// back at 66 °C and more from 02:30, at its usual temperature 45 minutes later.
    Timestamp fault_from, fault_to;
    /// Each pumping station draws ~80 kW instead of ~30 kW: day 2, 17:00 to 22:00.
    Timestamp peak_from, peak_to;
    /// The grid operator's tension signal is 3 (red) instead of 1: day 2, 18:00 to 21:00.
    Timestamp red_from, red_to;
    /// start + 3 days: the leaking meter then has the three days of history the leak rule reads.
    Timestamp leak_known;
    /// The leak is repaired (the leaking meter's flow loses its constant 0.02 l/s) two hours
    /// before `first_dry_night`.
    Timestamp repaired;
    /// 02:00 of the first night that starts two hours or more after `leak_known`: the repaired
    /// meter's first night reading, 0 l/s.
    Timestamp first_dry_night;
    /// The last reading: 06:00 the morning after the repair, 3 days 6 hours to about 4 days
    /// 6 hours after the start (it depends on the start's time of day).
    Timestamp end;
};

WinterTimeline winter_timeline(const ScenarioOptions& options);

/// The `hiver` scenario (alias `winter`): from `options.start` to the timeline's end, every
/// `options.step`, all readings in time order (at one time, signals first):
/// - signal/<town>/canicule-level: 1, once at the start (retained);
/// - signal/<town>/outdoor-temperature (Cel, retained), every step: a cold spell between 0 and 8 °C
///   with a daily cycle, coldest before dawn;
/// - signal/<grid>/tension (retained): 1 at the start, 3 and 1 again when the timeline says;
/// - every dwelling's temperature (Cel), 19–21 °C, a little cooler during the heating fault; the
///   last dwelling of the registry is silent for three hours;
/// - each substation's supply-temperature (Cel), ~75 °C; the first one has the fault;
/// - each water meter's volume (m3, an index to the litre) and volume_flow (m3/s, to the litre per
///   hour), as a radio water meter sends them: a household profile, exactly 0 from 00:30 to 05:30
///   local time but for a flush at 03:30; the last meter of the registry leaks: 0.02 l/s more,
///   never 0 and no flush, until the repair, then the profile again;
/// - each heat meter (type `heat-meter`, optional) of a substation (the one its tags name, else the
///   first): energy (Wh,
///   to the kWh), power (W), flow_temperature (the substation's supply) and return_temperature
///   (Cel), volume_flow (m3/s); more power when it is colder outside;
/// - each pumping station's power (W): ~30 kW, ~80 kW during the evening peak.
/// Providers are the entities' owners. Deterministic: the same territory, start, step and zone give
/// the same readings. Needs the town (a stakeholder of id or kind `ville`), the grid operator (id
/// `reseau-electrique` or kind `energie`) and entities of types `dwelling`, `substation`,
/// `water-meter` and `pumping-station`; an error names what the territory lacks.
Result<std::vector<ScheduledReading>> winter_scenario(const Territory& territory,
                                                      const ScenarioOptions& options);

}  // namespace passerelle::simulate
