// SPDX-License-Identifier: Apache-2.0
// Flap detection: an alert that fires and resolves again and again sends one `flapping` notice,
// then keeps quiet until its key has been calm for the policy's window.
#pragma once

#include <optional>
#include <vector>

#include "gateway/core/time.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

class FlapDetector {
public:
    enum class Verdict {
        Notify,          // a transition like any other: its notice goes out
        StartsFlapping,  // this transition made the key flap: one `flapping` notice instead
        Quiet,           // the key flaps: no notice
    };

    /// Counts a transition (fired or resolved) at `time`. Without a policy, always Notify.
    Verdict on_transition(const FlapPolicy& policy, Timestamp time);
    bool flapping() const { return flapping_; }
    /// Whether transitions within the window at `now` are remembered: the key must be kept.
    bool recalls(const FlapPolicy& policy, Timestamp now) const;
    /// When flapping ends if no transition comes first; nothing while not flapping.
    std::optional<Timestamp> calm_at(const FlapPolicy& policy) const;
    /// Ends flapping once `now` reaches calm_at(). True when it just ended.
    bool settle(const FlapPolicy& policy, Timestamp now);

private:
    std::vector<Timestamp> recent_;  // transitions within the window, at most policy.transitions
    bool flapping_ = false;
};

}  // namespace passerelle::rules
