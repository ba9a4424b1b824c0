// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/outbox_resend.h"

#include <chrono>

#include <fmt/format.h>

namespace passerelle::daemon {

std::string OutboxResend::key_of(std::string_view topic, std::string_view payload) {
    std::string key;
    key.reserve(topic.size() + 1 + payload.size());
    key.append(topic).push_back('\0');  // a topic never holds NUL
    key.append(payload);
    return key;
}

void OutboxResend::hold(std::vector<ReadyNotification> entries) {
    held_ = std::move(entries);
    done_.assign(held_.size(), false);
    by_content_.clear();
    for (std::size_t i = 0; i < held_.size(); ++i) {
        by_content_.emplace(key_of(held_[i].what.topic, held_[i].payload), i);
    }
}

std::string OutboxResend::next_marker() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    marker_ = fmt::format("{}-{}", stamp, ++markers_);
    return marker_;
}

std::optional<std::uint64_t> OutboxResend::confirm(std::string_view topic,
                                                   std::string_view payload) {
    if (held_.empty()) {
        return std::nullopt;
    }
    const auto it = by_content_.find(key_of(topic, payload));
    if (it == by_content_.end() || done_[it->second]) {
        return std::nullopt;
    }
    done_[it->second] = true;
    ++confirmed_;
    return held_[it->second].id;
}

bool OutboxResend::is_marker(std::string_view topic, std::string_view payload) const {
    return !marker_.empty() && topic == marker_topic_ && payload == marker_;
}

std::vector<ReadyNotification> OutboxResend::release() {
    std::vector<ReadyNotification> rest;
    for (std::size_t i = 0; i < held_.size(); ++i) {
        if (!done_[i]) {
            rest.push_back(std::move(held_[i]));
        }
    }
    held_.clear();
    done_.clear();
    by_content_.clear();
    return rest;
}

}  // namespace passerelle::daemon
