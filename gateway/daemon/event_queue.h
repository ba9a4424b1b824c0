// SPDX-License-Identifier: Apache-2.0
// The one queue the gateway's engine thread consumes: bus callbacks and signals only push to it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace passerelle::daemon {

struct InboundMessage {
    std::string topic;
    std::string payload;
};
struct ConnectionChanged {
    bool connected = false;
    bool session_present = false;
    std::string reason;
};
struct Delivered {
    std::uint64_t id = 0;
};
struct Rejected {
    std::uint64_t id = 0;
    std::string reason;
};
struct ShutdownRequested {};

using GatewayEvent =
    std::variant<InboundMessage, ConnectionChanged, Delivered, Rejected, ShutdownRequested>;

/// Unbounded, so that a Paho callback never blocks; control events (connection changes, acks,
/// shutdown) overtake a backlog of messages.
class EventQueue {
public:
    void push(GatewayEvent event);
    void push_control(GatewayEvent event);
    /// The next event, or nothing after `timeout`.
    std::optional<GatewayEvent> pop_for(std::chrono::milliseconds timeout);
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<GatewayEvent> control_;
    std::deque<GatewayEvent> messages_;
};

}  // namespace passerelle::daemon
