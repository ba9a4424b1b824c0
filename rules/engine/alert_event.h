// SPDX-License-Identifier: Apache-2.0
// An alert transition, as the engine reports it to the actions: what fired or resolved, and why.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <optional>
#include <string>
#include <vector>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/time_zone.h"
#include "rules/config/rule_spec.h"
#include "rules/engine/explanation.h"

namespace passerelle::rules {

/// Flapping: the key fires and resolves too often; one notice, then quiet until it calms down.
enum class AlertStatus { Firing, Resolved, Flapping };

struct CompiledRule;

/// The lowest and the highest number of a key's readings over one alert episode, from the reading
/// that fired it to the one that resolved it, each with the first time it was reached.
struct EpisodeExtremes {
    bool known = false;  // no number read yet: a textual reading, or none
    double min = 0;
    double max = 0;
    Timestamp min_at{};
    Timestamp max_at{};

    /// Takes `reading` into account; one that carries no number (or NaN) is skipped.
    void add(const Reading& reading);
};

/// A group rule's group when the event happened, for its messages' placeholders.
struct GroupFacts {
    /// Entities listed by name in a message at most: a big building's list stays readable.
    static constexpr std::size_t kMaxListed = 10;
    std::size_t size = 0;              // members, known or not
    std::size_t known = 0;             // members with a fresh reading
    std::size_t count = 0;             // members for which the rule's first counted condition holds
    std::vector<std::string> counted;  // the first kMaxListed of those, by name
};

struct AlertEvent {
    const CompiledRule* rule = nullptr;
    std::string key;
    AlertStatus status = AlertStatus::Firing;
    std::string alert_id;  // stable per rule + key + episode: a duplicate delivery is recognisable
    Timestamp started_at;  // when the alert started firing
    Timestamp time;        // when this transition happened (rule time)
    Reading reading;       // the latest reading of the key: entity, provider, value, unit
    Reading firing_reading;  // the reading when the alert fired: recipients are rendered from it
    std::uint64_t actions = 0;  // bit i: action i applies to this event
    std::uint32_t repeat = 0;   // a firing notice sent again (`repeat`): 1 for the first repeat
    /// The values of the rule's `publish` actions, by index; empty when it sets none (flapping,
    /// repeats). A value that cannot be computed (missing data) is not published.
    std::vector<std::optional<Value>> signal_values;
    /// Why: for operators (explain log, replay --explain), never in notifications.
    std::shared_ptr<const Explanation> explanation;
    EpisodeExtremes extremes;   // of the episode so far: the peak a resolved notice reports
    std::optional<GroupFacts> group;  // for rules using group functions
    TimeZone zone;              // the engine's: where messages read local times
};

const char* to_string(AlertStatus status);

/// 16 hex digits derived from rule id, key and the episode's start: the same in live runs and replays.
std::string make_alert_id(std::string_view rule_id, std::string_view key, Timestamp started_at);

}  // namespace passerelle::rules
