// SPDX-License-Identifier: Apache-2.0
// Records bus events for tests; every callback only takes a short lock, as the bus requires.
#include "tests/support/recording_bus_handler.h"

#include <utility>

namespace passerelle::testing {

void RecordingBusHandler::on_message(bus::BusMessage message) {
    {
        const std::lock_guard lock(mutex_);
        messages_.push_back(std::move(message));
    }
    changed_.notify_all();
}

void RecordingBusHandler::on_connected(bool session_present) {
    {
        const std::lock_guard lock(mutex_);
        ++connects_;
        last_session_present_ = session_present;
    }
    changed_.notify_all();
}

void RecordingBusHandler::on_disconnected(std::string reason) {
    {
        const std::lock_guard lock(mutex_);
        disconnect_reasons_.push_back(std::move(reason));
    }
    changed_.notify_all();
}

void RecordingBusHandler::on_delivered(std::uint64_t id) {
    {
        const std::lock_guard lock(mutex_);
        ++delivered_[id];
    }
    changed_.notify_all();
}

void RecordingBusHandler::on_rejected(std::uint64_t id, std::string reason) {
    {
        const std::lock_guard lock(mutex_);
        rejected_[id] = std::move(reason);
    }
    changed_.notify_all();
}

template <typename Predicate>
bool RecordingBusHandler::wait(std::chrono::milliseconds timeout, Predicate predicate) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, predicate);
}

bool RecordingBusHandler::wait_for_connects(std::size_t count, std::chrono::milliseconds timeout) {
    return wait(timeout, [&] { return connects_ >= count; });
}

bool RecordingBusHandler::wait_for_disconnects(std::size_t count,
                                               std::chrono::milliseconds timeout) {
    return wait(timeout, [&] { return disconnect_reasons_.size() >= count; });
}

bool RecordingBusHandler::wait_for_delivered(std::size_t count, std::chrono::milliseconds timeout) {
    return wait(timeout, [&] { return delivered_.size() >= count; });
}

std::vector<bus::BusMessage> RecordingBusHandler::wait_for_messages(
    std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
    return messages_;
}

std::size_t RecordingBusHandler::connects() const {
    const std::lock_guard lock(mutex_);
    return connects_;
}

std::size_t RecordingBusHandler::disconnects() const {
    const std::lock_guard lock(mutex_);
    return disconnect_reasons_.size();
}

bool RecordingBusHandler::last_session_present() const {
    const std::lock_guard lock(mutex_);
    return last_session_present_;
}

std::vector<bus::BusMessage> RecordingBusHandler::messages() const {
    const std::lock_guard lock(mutex_);
    return messages_;
}

std::unordered_map<std::uint64_t, int> RecordingBusHandler::delivered() const {
    const std::lock_guard lock(mutex_);
    return delivered_;
}

std::unordered_map<std::uint64_t, std::string> RecordingBusHandler::rejected() const {
    const std::lock_guard lock(mutex_);
    return rejected_;
}

std::vector<std::string> RecordingBusHandler::disconnect_reasons() const {
    const std::lock_guard lock(mutex_);
    return disconnect_reasons_;
}

}  // namespace passerelle::testing
