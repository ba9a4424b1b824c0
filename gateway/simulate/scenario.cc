// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/scenario.h"

#include <array>
#include <chrono>
#include <cstdint>

#include "gateway/simulate/heatwave_scenario.h"
#include "gateway/simulate/winter_scenario.h"

namespace passerelle::simulate {
namespace {

struct Entry {
    std::string_view name;
    std::string_view alias;
    Result<std::vector<ScheduledReading>> (*make)(const Territory&, const ScenarioOptions&);
};

// Named in the territory's language, as its rules files; the English aliases keep the first
// name of the heatwave working.
constexpr std::array kScenarios{
    Entry{"canicule", "heatwave", &heatwave_scenario},
    Entry{"hiver", "winter", &winter_scenario},
};

const Entry* find(std::string_view name) {
    for (const Entry& entry : kScenarios) {
        if (entry.name == name || entry.alias == name) {
            return &entry;
        }
    }
    return nullptr;
}

}  // namespace

Timestamp scenario_start(Timestamp now) {
    using QuarterHours = std::chrono::duration<std::int64_t, std::ratio<15 * 60>>;
    return std::chrono::floor<QuarterHours>(now);
}

std::vector<std::string> scenario_names() {
    std::vector<std::string> names;
    for (const Entry& entry : kScenarios) {
        names.emplace_back(entry.name);
        names.emplace_back(entry.alias);
    }
    return names;
}

std::string canonical_scenario_name(std::string_view name) {
    const Entry* entry = find(name);
    return entry == nullptr ? std::string() : std::string(entry->name);
}

Result<std::vector<ScheduledReading>> make_scenario(std::string_view name,
                                                    const Territory& territory,
                                                    const ScenarioOptions& options) {
    const Entry* entry = find(name);
    if (entry == nullptr) {
        return make_error("simulate.unknown-scenario",
                          "no scenario named '" + std::string(name) + "'");
    }
    return entry->make(territory, options);
}

}  // namespace passerelle::simulate
