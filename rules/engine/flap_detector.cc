// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/flap_detector.h"

#include <algorithm>

namespace passerelle::rules {

FlapDetector::Verdict FlapDetector::on_transition(const FlapPolicy& policy, Timestamp time) {
    if (!policy.enabled()) {
        return Verdict::Notify;
    }
    // Only the transitions inside the window count; the oldest go first.
    const auto outside = std::find_if(recent_.begin(), recent_.end(),
                                      [&](Timestamp t) { return time - t < policy.within; });
    recent_.erase(recent_.begin(), outside);
    if (recent_.size() == policy.transitions) {
        recent_.erase(recent_.begin());
    }
    recent_.push_back(time);
    if (flapping_) {
        return Verdict::Quiet;
    }
    if (recent_.size() < policy.transitions) {
        return Verdict::Notify;
    }
    flapping_ = true;
    return Verdict::StartsFlapping;
}

bool FlapDetector::recalls(const FlapPolicy& policy, Timestamp now) const {
    return !recent_.empty() && now - recent_.back() < policy.within;
}

std::optional<Timestamp> FlapDetector::calm_at(const FlapPolicy& policy) const {
    if (!flapping_) {
        return std::nullopt;
    }
    return recent_.back() + policy.within;
}

bool FlapDetector::settle(const FlapPolicy& policy, Timestamp now) {
    const auto calm = calm_at(policy);
    if (!calm || now < *calm) {
        return false;
    }
    flapping_ = false;
    recent_.clear();
    recent_.shrink_to_fit();  // a calm key holds no memory for its past
    return true;
}

}  // namespace passerelle::rules
