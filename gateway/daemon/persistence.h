// SPDX-License-Identifier: Apache-2.0
// What the gateway keeps across a crash, and when it writes it: the readings the rules evaluated
// and the notifications they decided, in one transaction, before any of those notifications is
// published; each notification leaves the outbox for the audit log when the broker acknowledges
// it. A store that cannot write (disk full, read-only) never stops the rules: readings wait in a
// bounded buffer, notifications go out without their durable copy, and both are counted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "gateway/store/store.h"

namespace passerelle::daemon {

struct PersistenceLimits {
    /// Notifications waiting for their acknowledgement in the outbox; beyond, they go out
    /// without a durable copy (counted as outbox_overflow).
    std::size_t outbox_limit = 100'000;
    /// Readings and dead letters held in memory while the store cannot write; the oldest go first.
    std::size_t unwritten_limit = 100'000;
    /// Readings written in one transaction at most.
    std::size_t batch = 1000;
    /// Readings wait at most this long for their transaction (a crash may lose them).
    std::chrono::milliseconds interval{100};
};

struct PersistenceCounters {
    std::uint64_t readings_written = 0;
    std::uint64_t readings_lost = 0;  // shed while the store could not write
    std::uint64_t write_errors = 0;   // transactions that failed
    std::uint64_t outbox_overflow = 0;
    std::uint64_t repeats_skipped = 0;  // notices already queued or sent before a restart
    std::uint64_t audited = 0;
};

/// How long the store keeps what, and how it thins old readings.
struct Retention {
    Duration history = std::chrono::hours(24 * 30);
    Duration dead_letters = std::chrono::hours(24 * 30);
    /// Readings older than this keep only the latest of each series per `downsample_to`.
    std::optional<Duration> downsample_after;
    Duration downsample_to = std::chrono::minutes(15);
};

/// A notification to hand to the bus with `id`, which on_delivered will report.
struct ReadyNotification {
    std::uint64_t id = 0;
    store::NotificationRecord what;
    std::string payload;
};

class Persistence {
public:
    Persistence(std::unique_ptr<store::Store> store, PersistenceLimits limits);

    /// The readings stored from `since` on, in the order they were evaluated: evaluating them
    /// again gives the rules the state they had.
    Status replay(Timestamp since,
                  const std::function<void(const store::ReadingHistory::Entry&)>& visit);
    /// What the outbox held at start (sent before a crash, never acknowledged), to publish again
    /// with the same ids, oldest first.
    Result<std::vector<ReadyNotification>> unacknowledged();

    /// Received messages are journaled as they arrive (from the bus's thread: the journal is
    /// thread-safe); the journal's leftovers of the previous run are in the store's recovery.
    store::IngestJournal& journal() { return store_->journal(); }
    /// The journaled message `sequence` and all before it are evaluated: the next commit writes
    /// the position with their readings.
    void evaluated(std::uint64_t sequence);

    void add_reading(const std::string& topic, const Reading& reading);
    void add_dead_letter(store::StoredDeadLetter letter);
    /// False when this notice was already queued or sent: the rules decide again after a
    /// restart what they had decided before it.
    bool is_new(const store::NotificationRecord& what);
    /// Kept for the next commit, which gives it its id.
    void stage(store::NotificationRecord what, std::string payload);
    /// Something received that the audit log keeps beside the notifications (an
    /// acknowledgement): written with the next commit.
    void audit_received(store::NotificationRecord what, const std::string& payload, Timestamp now);
    /// A route's group changed (its state as JSON) or is gone (none): written with the next
    /// commit, in the transaction of the notices it sent.
    void stage_route_group(const std::string& key, std::optional<std::string> state);
    /// The groups the routes held when the previous run stopped, by key.
    Result<std::vector<std::pair<std::string, std::string>>> route_groups();
    bool has_staged() const { return !staged_.empty(); }
    /// Whether commit() should run now: a notification is waiting, a batch is full, or readings
    /// have waited `interval`.
    bool commit_due(std::chrono::steady_clock::time_point now) const;
    /// Writes what was added and staged in one transaction and returns the staged notifications,
    /// in order, to publish. On a store error they are returned all the same, without a durable
    /// copy. `now` is the wall clock.
    std::vector<ReadyNotification> commit(Timestamp now);
    /// The broker acknowledged `id`: out of the outbox, into the audit log, in one transaction.
    void delivered(std::uint64_t id, Timestamp now);
    /// The broker refused `id` for good: out of the outbox (the gateway dead-letters it). What
    /// was recorded of it, when it was tracked.
    std::optional<store::NotificationRecord> refused(std::uint64_t id);
    /// Drops readings and dead letters older than their retention, thins old readings.
    void housekeeping(Timestamp now, const Retention& retention);

    bool failing() const { return failing_; }
    const PersistenceCounters& counters() const { return counters_; }
    std::size_t outbox_size() const { return outbox_size_; }
    store::Store& store() { return *store_; }

private:
    struct Tracked {
        store::NotificationRecord what;
        std::string payload_sha256;
        bool durable = false;
    };
    struct Staged {
        store::NotificationRecord what;
        std::string payload;
    };
    /// An acknowledgement whose audit row (and outbox removal) could not be written yet.
    struct Unrecorded {
        std::uint64_t id;
        Tracked tracked;
        Timestamp sent;
    };

    /// Something is about to wait for the next commit: starts the interval if nothing was.
    void mark_unwritten();
    Status write_acknowledgement(const Unrecorded& ack);
    void write_failed(const Error& error);
    void write_succeeded();
    std::uint64_t volatile_id() { return kVolatileIds + next_volatile_++; }

    /// Ids of notifications without a durable copy: above any outbox row id.
    static constexpr std::uint64_t kVolatileIds = std::uint64_t{1} << 62;

    std::unique_ptr<store::Store> store_;
    PersistenceLimits limits_;
    std::vector<Staged> staged_;
    /// Route groups to write, latest state by key; kept until a commit writes them.
    std::map<std::string, std::optional<std::string>> route_groups_;
    std::vector<store::StoredDeadLetter> dead_letters_;
    std::unordered_map<std::uint64_t, Tracked> tracked_;  // handed to the bus, not acknowledged
    std::vector<Unrecorded> unrecorded_;
    std::chrono::steady_clock::time_point oldest_unwritten_{};
    std::uint64_t evaluated_through_ = 0;
    bool position_unwritten_ = false;
    std::size_t outbox_size_ = 0;
    std::uint64_t next_volatile_ = 1;
    bool failing_ = false;
    PersistenceCounters counters_;
};

}  // namespace passerelle::daemon
