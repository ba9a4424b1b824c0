// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/echo_filter.h"

namespace passerelle::daemon {
namespace {

std::string key_of(const std::string& topic, const std::string& payload) {
    std::string key;
    key.reserve(topic.size() + 1 + payload.size());
    key += topic;
    key += '\0';  // topics hold no NUL: the split is unambiguous
    key += payload;
    return key;
}

}  // namespace

void EchoFilter::expect(const std::string& topic, const std::string& payload,
                        Clock::time_point now) {
    forget_old(now);
    while (order_.size() >= kMaxWaiting) {
        forget_old(order_.front().first + kForgetAfter);
    }
    std::string key = key_of(topic, payload);
    ++waiting_[key].expected;
    order_.emplace_back(now, std::move(key));
}

bool EchoFilter::take(const std::string& topic, const std::string& payload, Clock::time_point now) {
    forget_old(now);
    const auto it = waiting_.find(key_of(topic, payload));
    if (it == waiting_.end() || it->second.expected == 0) {
        return false;
    }
    // Copies come back in the order they were sent: this one is the oldest, whose entry in order_
    // will expire first.
    --it->second.expected;
    ++it->second.back;
    return true;
}

void EchoFilter::forget_old(Clock::time_point now) {
    while (!order_.empty() && now - order_.front().first >= kForgetAfter) {
        const auto it = waiting_.find(order_.front().second);
        if (it != waiting_.end()) {
            Copies& copies = it->second;
            // The oldest copy: one that came back if any did, else one that never will.
            if (copies.back > 0) {
                --copies.back;
            } else if (copies.expected > 0) {
                --copies.expected;
            }
            if (copies.back == 0 && copies.expected == 0) {
                waiting_.erase(it);
            }
        }
        order_.pop_front();
    }
}

}  // namespace passerelle::daemon
