// SPDX-License-Identifier: Apache-2.0
// The outgoing queue and the window of unacknowledged publishes.
#include "gateway/bus/publish_window.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace passerelle::bus {

PublishWindow::PublishWindow(std::size_t max_inflight, std::size_t max_queued)
    : max_inflight_(std::max<std::size_t>(max_inflight, 1)), max_queued_(max_queued) {}

void PublishWindow::set_max_inflight(std::size_t max_inflight) {
    max_inflight_ = std::max<std::size_t>(max_inflight, 1);
}

Status PublishWindow::push(OutgoingMessage message) {
    if (queue_.size() >= max_queued_) {
        return make_error("bus.queue-full",
                          fmt::format("outgoing queue full ({} messages); '{}' not queued",
                                      max_queued_, message.topic));
    }
    const std::uint64_t uid = next_uid_++;
    Entry entry;
    entry.message = std::make_shared<const OutgoingMessage>(std::move(message));
    entries_.emplace(uid, std::move(entry));
    queue_.push_back(uid);
    return Ok{};
}

std::optional<PublishWindow::Attempt> PublishWindow::next() {
    if (!can_send()) {
        return std::nullopt;
    }
    const std::uint64_t uid = queue_.front();
    queue_.pop_front();
    Entry& entry = entries_.at(uid);
    entry.in_flight = true;
    const std::uint64_t attempt = next_attempt_++;
    inflight_.emplace(attempt, uid);
    peak_inflight_ = std::max(peak_inflight_, inflight_.size());
    return Attempt{attempt, entry.message};
}

PublishWindow::Settlement PublishWindow::settle_in_flight(std::uint64_t attempt) {
    const auto it = inflight_.find(attempt);
    if (it == inflight_.end()) {
        return {};
    }
    const std::uint64_t uid = it->second;
    inflight_.erase(it);
    const Entry& entry = entries_.at(uid);
    const Settlement settlement{!entry.settled, entry.message->id};
    erase_entry(uid);
    return settlement;
}

PublishWindow::Settlement PublishWindow::acknowledge(std::uint64_t attempt) {
    if (inflight_.count(attempt) != 0) {
        return settle_in_flight(attempt);
    }
    // A late acknowledgement of an attempt abandoned at a connection loss: Paho kept its copy and
    // the broker did receive it. Settle the message now; its requeued copy must not report again.
    const auto it = abandoned_.find(attempt);
    if (it == abandoned_.end()) {
        return {};
    }
    const std::uint64_t uid = it->second;
    abandoned_.erase(it);
    const auto entry_it = entries_.find(uid);
    if (entry_it == entries_.end() || entry_it->second.settled) {
        return {};
    }
    Entry& entry = entry_it->second;
    const Settlement settlement{true, entry.message->id};
    if (entry.in_flight) {
        entry.settled = true;  // its current attempt frees the window slot when it completes
    } else {
        remove_from_queue(uid);
        erase_entry(uid);
    }
    return settlement;
}

PublishWindow::Settlement PublishWindow::reject(std::uint64_t attempt) {
    // Only an attempt still in flight can be refused; the message is not retried.
    return settle_in_flight(attempt);
}

void PublishWindow::retry(std::uint64_t attempt) {
    const auto it = inflight_.find(attempt);
    if (it == inflight_.end()) {
        return;
    }
    const std::uint64_t uid = it->second;
    inflight_.erase(it);
    Entry& entry = entries_.at(uid);
    if (entry.settled) {
        erase_entry(uid);
        return;
    }
    entry.in_flight = false;
    insert_in_order(uid);
}

std::size_t PublishWindow::requeue_inflight() {
    std::size_t requeued = 0;
    for (const auto& [attempt, uid] : inflight_) {
        Entry& entry = entries_.at(uid);
        if (entry.settled) {
            erase_entry(uid);
            continue;
        }
        entry.in_flight = false;
        entry.abandoned_attempts.push_back(attempt);
        abandoned_.emplace(attempt, uid);
        insert_in_order(uid);
        ++requeued;
    }
    inflight_.clear();
    return requeued;
}

std::size_t PublishWindow::clear() {
    const std::size_t discarded = entries_.size();
    entries_.clear();
    queue_.clear();
    inflight_.clear();
    abandoned_.clear();
    return discarded;
}

void PublishWindow::erase_entry(std::uint64_t uid) {
    const auto it = entries_.find(uid);
    if (it == entries_.end()) {
        return;
    }
    for (const std::uint64_t attempt : it->second.abandoned_attempts) {
        abandoned_.erase(attempt);
    }
    entries_.erase(it);
}

void PublishWindow::remove_from_queue(std::uint64_t uid) {
    const auto it = std::lower_bound(queue_.begin(), queue_.end(), uid);
    if (it != queue_.end() && *it == uid) {
        queue_.erase(it);
    }
}

void PublishWindow::insert_in_order(std::uint64_t uid) {
    // Requeued messages are older than anything queued after them, so this lands at or near the
    // front, where a deque inserts cheaply; the queue stays in publish order whatever the order in
    // which attempts fail or the connection loss is reported.
    queue_.insert(std::lower_bound(queue_.begin(), queue_.end(), uid), uid);
}

}  // namespace passerelle::bus
