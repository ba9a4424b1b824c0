// SPDX-License-Identifier: Apache-2.0
// The canonical readings the gateway's connectors published, recognised when the broker hands
// them back: the rules have already seen them.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

namespace passerelle::daemon {

/// Readings that connectors decode go to the rules at once (in the order the field sent them, as
/// a replay reads them) and to the broker for the other parties; the copy the gateway's own
/// subscription brings back must not be evaluated twice. A copy that has not come back within
/// `kForgetAfter` is forgotten (nobody subscribed to it), and at most kMaxWaiting are kept.
class EchoFilter {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::seconds kForgetAfter{60};
    static constexpr std::size_t kMaxWaiting = 200'000;

    /// The gateway published `payload` on `topic` at `now`.
    void expect(const std::string& topic, const std::string& payload, Clock::time_point now);
    /// Whether this message is one of ours coming back (then it is no longer expected).
    bool take(const std::string& topic, const std::string& payload, Clock::time_point now);
    std::size_t waiting() const { return waiting_.size(); }

private:
    void forget_old(Clock::time_point now);

    struct Copies {
        std::size_t expected = 0;  // published, not back yet
        std::size_t back = 0;      // back already, their entries in order_ not expired yet
    };
    std::unordered_map<std::string, Copies> waiting_;
    std::deque<std::pair<Clock::time_point, std::string>> order_;  // oldest first
};

}  // namespace passerelle::daemon
