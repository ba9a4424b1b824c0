// SPDX-License-Identifier: Apache-2.0
// The life of one alert instance (one rule, one key): inactive → pending → firing → resolved.
#pragma once

#include <cstdint>
#include <optional>

#include "gateway/core/time.h"

namespace passerelle::rules {

enum class AlertPhase { Inactive, Pending, Firing };

/// What one evaluation of a rule for a key found. `std::nullopt` is "unknown" (missing data).
struct Observation {
    Timestamp time;
    std::optional<bool> when;
    /// The clear condition's result; when the rule has none, "not when" is used instead.
    std::optional<bool> clear;
    bool has_clear_condition = false;
};

enum class AlertChange { None, Fired, Resolved };

struct AlertState {
    AlertPhase phase = AlertPhase::Inactive;
    Timestamp pending_since{};
    Timestamp firing_since{};
    std::uint64_t notified_actions = 0;  // bit i: action i sent its firing notice
};

/// Applies one observation. Unknown results never start, fire or resolve an alert: a missing signal
/// is not evidence either way. A pending alert fires once the condition has held for `for_duration`.
AlertChange observe(AlertState& state, const Observation& observation, Duration for_duration);

/// Time passed with no new reading: a pending alert whose condition last held fires at its deadline.
/// Returns Fired with the deadline as the firing time in `fired_at`.
AlertChange on_time(AlertState& state, Timestamp now, Duration for_duration, Timestamp& fired_at);

}  // namespace passerelle::rules
