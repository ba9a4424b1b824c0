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
#include <vector>

#include "connectors/mbus/mbus_decoder.h"
#include "connectors/modbus/modbus_poller.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::daemon {

struct InboundMessage {
    std::string topic;
    std::string payload;
    std::uint64_t journal_sequence = 0;  // 0: not journaled (the gateway's own, or a write failed)
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
/// What one wired meter answered (or why it did not), from a poller's thread.
struct MeterPolled {
    std::string source;  // mbus://host:port/address
    Result<std::vector<connectors::mbus::DecodedTelegram>> answer;
    Timestamp when;
};
/// What one Modbus device's poll read (and what it could not), from the poller's thread.
struct ModbusPolled {
    std::string entity;  // the device's name: its registry entity
    std::string source;  // modbus://host:port/unit
    connectors::modbus::PollReport report;
    Timestamp when;
};
struct ShutdownRequested {};
/// Why the rules are read again: an operator's SIGHUP always reloads; a change on disk only when
/// the files' contents differ from the last version read.
enum class ReloadCause { Signal, FilesChanged };
struct ReloadRequested {
    ReloadCause cause = ReloadCause::Signal;
};

using GatewayEvent =
    std::variant<InboundMessage, ConnectionChanged, Delivered, Rejected, ShutdownRequested,
                 ReloadRequested, MeterPolled, ModbusPolled>;

/// A Paho callback never blocks on it: past kMaxMessages waiting messages, new ones are dropped
/// and counted (memory stays bounded when the gateway cannot keep up). Control events (connection
/// changes, acks, shutdown) are never dropped and overtake a backlog of messages.
class EventQueue {
public:
    static constexpr std::size_t kMaxMessages = 1'000'000;

    /// false when the message was dropped because kMaxMessages are waiting.
    bool push(GatewayEvent event);
    void push_control(GatewayEvent event);
    /// The next event, or nothing after `timeout`.
    std::optional<GatewayEvent> pop_for(std::chrono::milliseconds timeout);
    std::size_t size() const;
    std::size_t messages_waiting() const;
    std::uint64_t dropped() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<GatewayEvent> control_;
    std::deque<GatewayEvent> messages_;
    std::uint64_t dropped_ = 0;
};

}  // namespace passerelle::daemon
