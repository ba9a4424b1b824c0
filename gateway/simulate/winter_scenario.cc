// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/winter_scenario.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <string>

#include "gateway/core/topic.h"
#include "gateway/simulate/field_messages.h"

namespace passerelle::simulate {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr double kLeak = 0.02;  // l/s: a running toilet
constexpr double kWinterSecondsPerHour = 3600.0;
constexpr double kSupplyReturnDelta = 25.0;  // K across a substation's heat exchanger
constexpr double kWaterKwhPerM3K = 1.163;    // heat carried by a cubic metre of water per kelvin

/// The stakeholder of this id, else the first of this kind.
const Stakeholder* find_party(const Territory& territory, std::string_view id,
                              std::string_view kind) {
    if (const Stakeholder* found = territory.find_stakeholder(id)) {
        return found;
    }
    for (const auto& stakeholder : territory.stakeholders) {
        if (stakeholder.kind == kind) {
            return &stakeholder;
        }
    }
    return nullptr;
}

std::vector<const Entity*> entities_of_type(const Territory& territory, std::string_view type) {
    std::vector<const Entity*> found;
    for (const auto& entity : territory.entities.all()) {
        if (entity.type == type) {
            found.push_back(&entity);
        }
    }
    return found;
}


double hours_between(Timestamp from, Timestamp to) {
    return std::chrono::duration<double, std::ratio<3600>>(to - from).count();
}

// To `per_unit`ths (10: tenths): dividing by a power of ten gives the double nearest the decimal.
double round_to(double value, double per_unit) {
    return std::round(value * per_unit) / per_unit;
}

bool within(Timestamp t, Timestamp from, Timestamp to) {
    return t >= from && t < to;
}

// A household's water use in l/s by local time of day: nothing from 00:30 to 05:30, peaks in the
// morning and the evening.
double household_flow(double local_hour) {
    if (local_hour < 0.5 || local_hour >= 22.0) {
        return local_hour < 0.5 ? 0.05 : 0.06;
    }
    if (local_hour < 5.5) {
        return 0.0;
    }
    if (local_hour < 6.5) {
        return 0.05;
    }
    if (local_hour < 9.0) {
        return 0.25;
    }
    if (local_hour < 12.0) {
        return 0.08;
    }
    if (local_hour < 14.0) {
        return 0.15;
    }
    if (local_hour < 18.5) {
        return 0.07;
    }
    return 0.30;
}

}  // namespace

WinterTimeline winter_timeline(const ScenarioOptions& options) {
    const TimeZone& zone = options.zone;
    const LocalTime day0 = zone.local_time(options.start);
    const auto at = [&](int day, int hour, int minute) {
        return zone.to_utc(day0.year, day0.month, day0.day + day, hour, minute, 0);
    };
    WinterTimeline timeline;
    timeline.start = options.start;
    timeline.silent_from = at(1, 10, 0);
    timeline.silent_to = at(1, 13, 0);
    timeline.fault_from = at(2, 1, 0);
    timeline.fault_to = at(2, 2, 30);
    timeline.peak_from = at(2, 17, 0);
    timeline.peak_to = at(2, 22, 0);
    timeline.red_from = at(2, 18, 0);
    timeline.red_to = at(2, 21, 0);
    timeline.leak_known = options.start + std::chrono::days(3);
    // Two hours at least between the alert and the first dry night, so that the alert lasts.
    int day = 3;
    while (at(day, 2, 0) < timeline.leak_known + hours(2)) {
        ++day;
    }
    timeline.first_dry_night = at(day, 2, 0);
    timeline.repaired = timeline.first_dry_night - hours(2);
    timeline.end = timeline.first_dry_night + hours(4);
    return timeline;
}

Result<std::vector<ScheduledReading>> winter_scenario(const Territory& territory,
                                                      const ScenarioOptions& options) {
    if (options.step <= Duration::zero()) {
        return make_error("simulate.bad-step", "the scenario's step must be longer than zero");
    }
    const Stakeholder* town = find_party(territory, "ville", "ville");
    if (town == nullptr) {
        return make_error("simulate.no-town",
                          "the winter scenario needs the town: a stakeholder of kind 'ville'");
    }
    const Stakeholder* grid = find_party(territory, "reseau-electrique", "energie");
    if (grid == nullptr) {
        return make_error("simulate.no-grid",
                          "the winter scenario needs the electricity grid's operator: a "
                          "stakeholder 'reseau-electrique' or of kind 'energie'");
    }
    const auto dwellings = entities_of_type(territory, "dwelling");
    const auto substations = entities_of_type(territory, "substation");
    const auto meters = entities_of_type(territory, "water-meter");
    const auto pumps = entities_of_type(territory, "pumping-station");
    const auto heat_meters = entities_of_type(territory, "heat-meter");  // optional
    for (const auto& [found, type] :
         {std::pair{&dwellings, "dwelling"}, std::pair{&substations, "substation"},
          std::pair{&meters, "water-meter"}, std::pair{&pumps, "pumping-station"}}) {
        if (found->empty()) {
            return make_error(
                "simulate.no-" + std::string(type),
                "the winter scenario needs entities of type '" + std::string(type) + "'");
        }
    }
    const Entity* silent = dwellings.back();
    const Entity* faulty = substations.front();
    const Entity* leaking = meters.back();
    const WinterTimeline timeline = winter_timeline(options);

    std::vector<ScheduledReading> out;
    const auto signal = [&](const Stakeholder& party, const char* name, double value,
                            const char* unit, Timestamp t) {
        out.push_back({signal_topic(party.id, name),
                       Reading{party.id, name, name, value, unit, t},
                       /*retained=*/true,
                       {},
                       {},
                       {}});
    };
    const auto telemetry = [&](const Entity& entity, const char* quantity, double value,
                               const char* unit, Timestamp t) {
        out.push_back({telemetry_topic(entity.provider, entity.id, quantity),
                       Reading{entity.provider, entity.id, quantity, value, unit, t},
                       /*retained=*/false,
                       {},
                       {},
                       {}});
    };
    int last_tension = 0;
    // Meters count up from an index of their own; the heat meters' substations' supply.
    std::map<std::string, double> volumes;
    std::map<std::string, double> energies;
    std::map<std::string, double> supplies;
    const double step_hours = std::chrono::duration<double, std::ratio<3600>>(options.step).count();
    for (Timestamp t = options.start; t <= timeline.end; t += options.step) {
        const double elapsed = hours_between(options.start, t);
        const LocalTime local = options.zone.local_time(t);
        const double hour = local.hour + local.minute / 60.0;
        // 1 at 15:00, -1 at 03:00.
        const double daily = std::cos(2.0 * std::numbers::pi * (hour - 15.0) / 24.0);

        if (t == options.start) {
            signal(*town, "canicule-level", 1, "", t);
        }
        // A cold spell: 0.3 to 7.5 °C, its days a little different from one another.
        const double outdoor =
            3.9 + 3.0 * daily + 0.6 * std::sin(2.0 * std::numbers::pi * elapsed / 70.0);
        signal(*town, "outdoor-temperature", round_to(outdoor, 10), "Cel", t);
        const int tension = within(t, timeline.red_from, timeline.red_to) ? 3 : 1;
        if (tension != last_tension) {
            signal(*grid, "tension", tension, "", t);
            last_tension = tension;
        }

        // Dwellings: warmest in the evening; the heating fault cools them a little.
        const double evening = std::cos(2.0 * std::numbers::pi * (hour - 19.0) / 24.0);
        const bool cooled =
            within(t, timeline.fault_from + minutes(30), timeline.fault_to + minutes(90));
        for (const Entity* dwelling : dwellings) {
            if (dwelling == silent && within(t, timeline.silent_from, timeline.silent_to)) {
                continue;
            }
            const double temperature =
                20.2 + 0.8 * (spread_of(dwelling->id) - 0.5) + 0.3 * evening - (cooled ? 0.4 : 0.0);
            telemetry(*dwelling, "temperature", round_to(temperature, 10), "Cel", t);
        }

        // Substations: hotter supply when it is colder outside.
        for (const Entity* substation : substations) {
            double supply = 74.0 + 0.6 * (5.0 - outdoor);
            if (substation == faulty) {
                if (within(t, timeline.fault_from, timeline.fault_to)) {
                    supply = 52.5 + 2.0 * hours_between(timeline.fault_from, t) /
                                        hours_between(timeline.fault_from, timeline.fault_to);
                } else if (within(t, timeline.fault_to, timeline.fault_to + minutes(45))) {
                    supply =
                        std::min(supply, 66.0 + 8.0 * hours_between(timeline.fault_to, t) / 0.75);
                }
            }
            telemetry(*substation, "supply-temperature", round_to(supply, 10), "Cel", t);
            supplies[substation->id] = supply;
        }

        // Water meters: what a radio water meter sends, its index (m3, to the litre) and its
        // flow (m3/s, to the litre per hour).
        for (const Entity* meter : meters) {
            const double spread = spread_of(meter->id);
            double flow = household_flow(hour) * (0.8 + 0.4 * spread) *
                          (1.0 + 0.15 * std::sin(elapsed * 1.7 + 6.0 * spread));
            const bool leaks = meter == leaking && t < timeline.repaired;
            if (!leaks && hour >= 3.5 && hour < 3.75) {
                flow = 0.04;  // someone flushes at night: the night is not dry at every reading
            }
            if (leaks) {
                flow += kLeak;
            }
            const double litres_per_hour = std::round(flow * kWinterSecondsPerHour);
            auto [volume, first] = volumes.try_emplace(meter->id, 120.0 + 400.0 * spread);
            if (!first) {
                volume->second += litres_per_hour * step_hours / 1000.0;
            }
            telemetry(*meter, "volume", round_to(volume->second, 1000), "m3", t);
            telemetry(*meter, "volume_flow", litres_per_hour / 1000.0 / kWinterSecondsPerHour,
                      "m3/s", t);
        }

        // Heat meters of the substations: the heat delivered, from the cold outside.
        for (const Entity* meter : heat_meters) {
            // At the substation its tags name, else at the first one.
            auto supply = supplies.find(substations.front()->id);
            for (const auto& tag : meter->tags) {
                if (supplies.contains(tag)) {
                    supply = supplies.find(tag);
                }
            }
            const double flow_temperature = supply->second;
            const double power_kw = 160.0 + 14.0 * (7.5 - outdoor) + 25.0 * daily;
            const double m3_per_hour = power_kw / (kWaterKwhPerM3K * kSupplyReturnDelta);
            auto [energy, first] = energies.try_emplace(meter->id, 2.4e8 + 1e8 * spread_of(meter->id));
            if (!first) {
                energy->second += power_kw * 1000.0 * step_hours;
            }
            telemetry(*meter, "energy", std::round(energy->second / 1000.0) * 1000.0, "Wh", t);
            telemetry(*meter, "power", std::round(power_kw * 1000.0), "W", t);
            telemetry(*meter, "flow_temperature", round_to(flow_temperature, 100), "Cel", t);
            telemetry(*meter, "return_temperature",
                      round_to(flow_temperature - kSupplyReturnDelta, 100), "Cel", t);
            telemetry(*meter, "volume_flow",
                      std::round(m3_per_hour * 1000.0) / 1000.0 / kWinterSecondsPerHour, "m3/s", t);
        }

        // Pumping stations: W.
        for (const Entity* pump : pumps) {
            const double base = within(t, timeline.peak_from, timeline.peak_to) ? 80000.0 : 30000.0;
            const double power = base + 1500.0 * std::sin(2.0 * std::numbers::pi * elapsed / 6.0 +
                                                          6.0 * spread_of(pump->id));
            telemetry(*pump, "power", std::round(power), "W", t);
        }
    }
    return out;
}

}  // namespace passerelle::simulate
