// SPDX-License-Identifier: Apache-2.0
// Sending the outbox again after a crash without repeating what the broker already took. The
// gateway's session subscribes to notify/#, so the broker keeps a copy for the gateway of every
// notification it accepted, even one whose acknowledgement the crashed gateway never read. Those
// copies arrive after reconnecting and before a marker the gateway publishes once connected:
// entries whose copy arrived were delivered; the rest are sent again after the marker.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/daemon/persistence.h"

namespace passerelle::daemon {

class OutboxResend {
public:
    /// `marker_topic`: a topic of the gateway's own that its session subscribes to.
    explicit OutboxResend(std::string marker_topic) : marker_topic_(std::move(marker_topic)) {}

    /// Holds what the outbox had at start until release().
    void hold(std::vector<ReadyNotification> entries);
    bool holding() const { return !held_.empty(); }
    const std::string& marker_topic() const { return marker_topic_; }
    /// The marker's payload, new for each connection so that an old one is never mistaken.
    std::string next_marker();

    /// A message on notify/… came back: the id of the held entry it is a copy of, now delivered.
    std::optional<std::uint64_t> confirm(std::string_view topic, std::string_view payload);
    /// Whether this message is the latest marker: every copy the broker kept arrived before it.
    bool is_marker(std::string_view topic, std::string_view payload) const;
    /// The entries no copy confirmed, oldest first; nothing is held afterwards.
    std::vector<ReadyNotification> release();
    std::size_t confirmed() const { return confirmed_; }

private:
    static std::string key_of(std::string_view topic, std::string_view payload);

    std::string marker_topic_;
    std::string marker_;
    std::uint64_t markers_ = 0;
    std::vector<ReadyNotification> held_;
    std::unordered_map<std::string, std::size_t> by_content_;  // topic + payload → index in held_
    std::vector<bool> done_;
    std::size_t confirmed_ = 0;
};

}  // namespace passerelle::daemon
