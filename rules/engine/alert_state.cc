// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/alert_state.h"

namespace passerelle::rules {

AlertChange observe(AlertState& state, const Observation& observation, Duration for_duration,
                    Duration clear_for) {
    switch (state.phase) {
        case AlertPhase::Inactive:
            if (observation.when != true) {
                return AlertChange::None;
            }
            state.pending_since = observation.time;
            if (for_duration.count() == 0) {
                state.phase = AlertPhase::Firing;
                state.firing_since = observation.time;
                return AlertChange::Fired;
            }
            state.phase = AlertPhase::Pending;
            return AlertChange::None;
        case AlertPhase::Pending:
            if (observation.when != true) {
                // The condition stopped holding (or became unknown) before `for` elapsed.
                state.phase = AlertPhase::Inactive;
                return AlertChange::None;
            }
            if (observation.time - state.pending_since >= for_duration) {
                state.phase = AlertPhase::Firing;
                state.firing_since = state.pending_since + for_duration;
                return AlertChange::Fired;
            }
            return AlertChange::None;
        case AlertPhase::Firing:
        case AlertPhase::Resolving: {
            const bool cleared = observation.has_clear_condition ? observation.clear == true
                                                                 : observation.when == false;
            if (!cleared) {
                state.phase = AlertPhase::Firing;  // a resolving alert holds again
                return AlertChange::None;
            }
            if (state.phase == AlertPhase::Firing) {
                state.resolving_since = observation.time;
            }
            if (observation.time - state.resolving_since < clear_for) {
                state.phase = AlertPhase::Resolving;
                return AlertChange::None;
            }
            state.phase = AlertPhase::Inactive;
            return AlertChange::Resolved;
        }
    }
    return AlertChange::None;
}

std::optional<Timestamp> next_deadline(const AlertState& state, Duration for_duration,
                                       Duration clear_for) {
    switch (state.phase) {
        case AlertPhase::Pending:
            return state.pending_since + for_duration;
        case AlertPhase::Resolving:
            return state.resolving_since + clear_for;
        case AlertPhase::Inactive:
        case AlertPhase::Firing:
            break;
    }
    return std::nullopt;
}

AlertChange on_time(AlertState& state, Timestamp now, Duration for_duration, Timestamp& changed_at,
                    Duration clear_for) {
    if (state.phase == AlertPhase::Resolving && now - state.resolving_since >= clear_for) {
        state.phase = AlertPhase::Inactive;
        changed_at = state.resolving_since + clear_for;
        return AlertChange::Resolved;
    }
    if (state.phase != AlertPhase::Pending || now - state.pending_since < for_duration) {
        return AlertChange::None;
    }
    state.phase = AlertPhase::Firing;
    state.firing_since = state.pending_since + for_duration;
    changed_at = state.firing_since;
    return AlertChange::Fired;
}

}  // namespace passerelle::rules
