// SPDX-License-Identifier: Apache-2.0
// The outgoing queue and the window of unacknowledged publishes, without Paho: unit-testable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "gateway/bus/bus.h"
#include "gateway/core/result.h"

namespace passerelle::bus {

/// Messages wait in a FIFO queue; at most `max_inflight` of them are sent and not yet acknowledged.
/// Each send is an *attempt* with its own number, given to Paho as the token's context. When the
/// connection drops, the attempts in flight are abandoned and their messages go back to the front
/// of the queue, in their original order, to be sent again (at-least-once). A late acknowledgement
/// of an abandoned attempt still settles its message, and a message is settled at most once, so the
/// caller reports each delivery exactly once whatever Paho does with its own copies after a
/// reconnect.
///
/// Not thread-safe: PahoBus holds its mutex around every call.
class PublishWindow {
public:
    PublishWindow(std::size_t max_inflight, std::size_t max_queued);

    /// @return "bus.queue-full" when `max_queued` messages are waiting. Messages put back after a
    ///         connection loss are never refused, so the queue may exceed the bound by the window.
    Status push(OutgoingMessage message);

    struct Attempt {
        std::uint64_t attempt = 0;  // never 0, so it can travel as a non-null context pointer
        std::shared_ptr<const OutgoingMessage> message;
    };
    /// The next message to send, now counted in flight; empty when the window is full or the queue
    /// is empty.
    std::optional<Attempt> next();
    bool can_send() const { return !queue_.empty() && inflight_.size() < max_inflight_; }
    /// Changes the window (the broker's Receive Maximum may be lower than ours); at least 1.
    /// Attempts already in flight beyond a smaller window complete normally.
    void set_max_inflight(std::size_t max_inflight);
    std::size_t max_inflight() const { return max_inflight_; }

    /// What an acknowledgement or a final failure means for the caller.
    struct Settlement {
        bool first = false;    // the message was not settled before: count it and report it
        std::uint64_t id = 0;  // the caller's tracking id (0 = untracked)
    };
    /// The broker acknowledged an attempt (current or abandoned).
    Settlement acknowledge(std::uint64_t attempt);
    /// The attempt failed for good (refused by the broker, malformed): the message is dropped.
    /// A failure of an abandoned attempt is ignored: the message is already queued again.
    Settlement reject(std::uint64_t attempt);
    /// The attempt failed for a passing reason (disconnected, Paho busy): back in the queue, in
    /// front of every message published after it.
    void retry(std::uint64_t attempt);
    /// The connection dropped: every attempt in flight is abandoned and its message requeued in
    /// front of newer ones. @return the number of messages requeued.
    std::size_t requeue_inflight();
    /// Forgets everything (stop): @return the number of messages discarded.
    std::size_t clear();

    std::size_t queued() const { return queue_.size(); }
    std::size_t inflight() const { return inflight_.size(); }
    std::size_t peak_inflight() const { return peak_inflight_; }
    bool idle() const { return queue_.empty() && inflight_.empty(); }

private:
    struct Entry {
        std::shared_ptr<const OutgoingMessage> message;
        bool in_flight = false;
        bool settled = false;  // acknowledged through an abandoned attempt while queued or re-sent
        std::vector<std::uint64_t> abandoned_attempts;
    };
    void erase_entry(std::uint64_t uid);
    /// Ends an attempt still in flight, acknowledged or refused: its message leaves the window.
    Settlement settle_in_flight(std::uint64_t attempt);
    void remove_from_queue(std::uint64_t uid);
    void insert_in_order(std::uint64_t uid);

    std::size_t max_inflight_;
    std::size_t max_queued_;
    std::size_t peak_inflight_ = 0;
    std::uint64_t next_uid_ = 1;
    std::uint64_t next_attempt_ = 1;
    std::unordered_map<std::uint64_t, Entry> entries_;  // by uid: queued or in flight
    std::deque<std::uint64_t> queue_;  // uids, ascending: uids are given in publish order
    std::map<std::uint64_t, std::uint64_t> inflight_;  // attempt -> uid, ordered = send order
    std::unordered_map<std::uint64_t, std::uint64_t> abandoned_;  // attempt -> uid
};

}  // namespace passerelle::bus
