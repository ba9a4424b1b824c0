// SPDX-License-Identifier: Apache-2.0
// The life of one alert instance (one rule, one key):
// inactive → pending → firing → resolving → resolved (inactive again).
#pragma once

#include <cstdint>
#include <optional>

#include "gateway/core/time.h"

namespace passerelle::rules {

enum class AlertPhase { Inactive, Pending, Firing, Resolving };

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
    Timestamp resolving_since{};  // when the clear condition started to hold (with clear_for)
    std::uint64_t notified_actions = 0;  // bit i: action i sent its firing notice
};

/// Applies one observation. Unknown results never start, fire or resolve an alert: a missing signal
/// is not evidence either way. A pending alert fires once the condition has held for `for_duration`;
/// a firing one resolves once the clear condition has held for `clear_for` (resolving meanwhile,
/// and firing again, without a notice, if it stops holding or becomes unknown).
AlertChange observe(AlertState& state, const Observation& observation, Duration for_duration,
                    Duration clear_for = Duration(0));

/// Time passed with no new reading: a pending alert fires at its deadline, a resolving one
/// resolves at its own. Returns the change, with the deadline in `changed_at`.
AlertChange on_time(AlertState& state, Timestamp now, Duration for_duration, Timestamp& changed_at,
                    Duration clear_for = Duration(0));

/// When the state changes next with no new reading: a pending alert's firing, a resolving one's
/// resolution; nothing otherwise.
std::optional<Timestamp> next_deadline(const AlertState& state, Duration for_duration,
                                       Duration clear_for);

}  // namespace passerelle::rules
