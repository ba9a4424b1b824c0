// SPDX-License-Identifier: Apache-2.0
// The poller's scheduling: per endpoint, always the target that is due first.
#include "connectors/mbus/tcp_poller.h"

#include <algorithm>
#include <utility>

namespace passerelle::connectors::mbus {

TcpPoller::TcpPoller(std::vector<PollTarget> targets, MasterSettings settings, const Clock& clock,
                     PollCallback on_result)
    : clock_(clock), on_result_(std::move(on_result)) {
    for (PollTarget& target : targets) {
        if (target.interval <= std::chrono::milliseconds::zero()) {
            target.interval = std::chrono::seconds(1);  // never back-to-back reads of one meter
        }
        auto same = std::find_if(endpoints_.begin(), endpoints_.end(), [&](const Endpoint& e) {
            return e.targets.front().host == target.host && e.targets.front().port == target.port;
        });
        if (same == endpoints_.end()) {
            Endpoint endpoint;
            endpoint.master = std::make_unique<TcpMaster>(target.host, target.port, settings);
            endpoints_.push_back(std::move(endpoint));
            same = std::prev(endpoints_.end());
        }
        same->targets.push_back(std::move(target));
    }
}

TcpPoller::~TcpPoller() {
    stop();
}

void TcpPoller::start() {
    if (!threads_.empty()) {
        return;
    }
    for (Endpoint& endpoint : endpoints_) {
        threads_.emplace_back([this, &endpoint] { run(endpoint); });
    }
}

void TcpPoller::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (Endpoint& endpoint : endpoints_) {
        endpoint.master->cancel();
    }
    for (std::thread& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

bool TcpPoller::wait_for_stop(std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    return wake_.wait_until(lock, until, [this] { return stopping_; });
}

void TcpPoller::run(Endpoint& endpoint) {
    using SteadyClock = std::chrono::steady_clock;
    std::vector<SteadyClock::time_point> due(endpoint.targets.size(), SteadyClock::now());
    for (;;) {
        const auto next = std::min_element(due.begin(), due.end());
        if (wait_for_stop(*next)) {
            return;
        }
        const PollTarget& target = endpoint.targets[static_cast<std::size_t>(next - due.begin())];
        auto result = endpoint.master->read_meter(target.address);
        const Timestamp when = clock_.now();
        {
            const std::lock_guard lock(callback_mutex_);
            // A read interrupted by stop() is no result; the check sits under the callback lock
            // so that nothing is reported once stop() has joined.
            if (!result && result.error().code == "mbus.cancelled") {
                return;
            }
            on_result_(target, std::move(result), when);
        }
        const auto now = SteadyClock::now();
        *next += target.interval;
        if (*next <= now) {
            *next = now + target.interval;
        }
    }
}

}  // namespace passerelle::connectors::mbus
