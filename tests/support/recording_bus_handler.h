// SPDX-License-Identifier: Apache-2.0
// A BusHandler for tests that records every event and lets the test wait for them, bounded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/bus/bus.h"

namespace passerelle::testing {

class RecordingBusHandler final : public bus::BusHandler {
public:
    void on_message(bus::BusMessage message) override;
    void on_connected(bool session_present) override;
    void on_disconnected(std::string reason) override;
    void on_delivered(std::uint64_t id) override;
    void on_rejected(std::uint64_t id, std::string reason) override;

    /// Each waits until the count reaches `count` (since construction) or `timeout` passes, and
    /// returns whether it did.
    bool wait_for_connects(std::size_t count, std::chrono::milliseconds timeout);
    bool wait_for_disconnects(std::size_t count, std::chrono::milliseconds timeout);
    /// Distinct ids delivered.
    bool wait_for_delivered(std::size_t count, std::chrono::milliseconds timeout);
    /// Returns a copy of all messages received once there are `count`, or at the timeout.
    std::vector<bus::BusMessage> wait_for_messages(std::size_t count,
                                                   std::chrono::milliseconds timeout);

    std::size_t connects() const;
    std::size_t disconnects() const;
    bool last_session_present() const;
    std::vector<bus::BusMessage> messages() const;
    /// id -> how many times on_delivered reported it (must be 1).
    std::unordered_map<std::uint64_t, int> delivered() const;
    std::unordered_map<std::uint64_t, std::string> rejected() const;
    std::vector<std::string> disconnect_reasons() const;

private:
    template <typename Predicate>
    bool wait(std::chrono::milliseconds timeout, Predicate predicate);

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<bus::BusMessage> messages_;
    std::size_t connects_ = 0;
    bool last_session_present_ = false;
    std::vector<std::string> disconnect_reasons_;
    std::unordered_map<std::uint64_t, int> delivered_;
    std::unordered_map<std::uint64_t, std::string> rejected_;
};

}  // namespace passerelle::testing
