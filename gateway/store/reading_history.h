// SPDX-License-Identifier: Apache-2.0
// The reading history: every reading the rules evaluated, with its topic, in the order they were
// evaluated; written in batches (one transaction each, so the store keeps up with ingestion), kept
// for a retention period, optionally thinned with age. Evaluating it again rebuilds rule state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/store/database.h"

namespace passerelle::store {

class ReadingHistory {
public:
    /// `database` must be migrated and outlive the history.
    static Result<ReadingHistory> open(Database& database);

    /// A reading and the topic it came from.
    struct Entry {
        std::string topic;
        Reading reading;
    };

    /// Buffers `reading`; nothing is written until flush() or write_buffered().
    void add(std::string topic, const Reading& reading) {
        buffer_.push_back({std::move(topic), reading});
    }
    std::size_t buffered() const { return buffer_.size(); }
    /// Writes the buffered readings in one transaction. On an error they stay buffered, to be
    /// written by a later flush once the disk has room again (the caller bounds the buffer).
    Status flush();
    /// flush() inside a transaction the caller holds; the buffer is cleared by clear_buffered()
    /// once the caller's transaction is committed.
    Status write_buffered();
    void clear_buffered() { buffer_.clear(); }
    /// Drops the oldest buffered readings beyond `limit`; returns how many were dropped.
    std::size_t shed(std::size_t limit);

    /// Removes readings older than `cutoff`; returns how many.
    Result<std::int64_t> prune(Timestamp cutoff);
    /// Among readings older than `cutoff`, keeps only the latest of each series in each `bucket`
    /// of time (e.g. one per quarter hour); returns how many were removed.
    Result<std::int64_t> downsample(Timestamp cutoff, Duration bucket);
    /// The readings dated from `since` on, in the order they were evaluated, handed one at a
    /// time to `visit`.
    Status read(Timestamp since, const std::function<void(const Entry&)>& visit);
    Result<std::int64_t> size();

private:
    ReadingHistory(Database& database, Statement insert)
        : database_(&database), insert_(std::move(insert)) {}

    Database* database_;
    Statement insert_;
    std::vector<Entry> buffer_;
};

}  // namespace passerelle::store
