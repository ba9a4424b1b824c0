// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/event_queue.h"

namespace passerelle::daemon {

bool EventQueue::push(GatewayEvent event) {
    {
        const std::lock_guard lock(mutex_);
        if (messages_.size() >= kMaxMessages) {
            ++dropped_;
            return false;
        }
        messages_.push_back(std::move(event));
    }
    ready_.notify_one();
    return true;
}

void EventQueue::push_control(GatewayEvent event) {
    {
        const std::lock_guard lock(mutex_);
        control_.push_back(std::move(event));
    }
    ready_.notify_one();
}

std::optional<GatewayEvent> EventQueue::pop_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout,
                         [this] { return !control_.empty() || !messages_.empty(); })) {
        return std::nullopt;
    }
    auto& source = control_.empty() ? messages_ : control_;
    GatewayEvent event = std::move(source.front());
    source.pop_front();
    return event;
}

std::size_t EventQueue::messages_waiting() const {
    const std::lock_guard lock(mutex_);
    return messages_.size();
}

std::uint64_t EventQueue::dropped() const {
    const std::lock_guard lock(mutex_);
    return dropped_;
}

std::size_t EventQueue::size() const {
    const std::lock_guard lock(mutex_);
    return control_.size() + messages_.size();
}

}  // namespace passerelle::daemon
