// SPDX-License-Identifier: Apache-2.0
// The reading history: every reading the rules saw, written in batches (one transaction each, so
// the store keeps up with ingestion), kept for a retention period, optionally thinned with age.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/store/database.h"

namespace passerelle::store {

class ReadingHistory {
public:
    /// `database` must be migrated and outlive the history.
    static Result<ReadingHistory> open(Database& database);

    /// Buffers `reading`; nothing is written until flush().
    void add(const Reading& reading) { buffer_.push_back(reading); }
    std::size_t buffered() const { return buffer_.size(); }
    /// Writes the buffered readings in one transaction. On an error they stay buffered, to be
    /// written by a later flush once the disk has room again (the caller bounds the buffer).
    Status flush();
    /// Drops the oldest buffered readings beyond `limit`; returns how many were dropped.
    std::size_t shed(std::size_t limit);

    /// Removes readings older than `cutoff`; returns how many.
    Result<std::int64_t> prune(Timestamp cutoff);
    /// Among readings older than `cutoff`, keeps only the latest of each series in each `bucket`
    /// of time (e.g. one per quarter hour); returns how many were removed.
    Result<std::int64_t> downsample(Timestamp cutoff, Duration bucket);
    /// The readings from `since` on, in time order, handed one at a time to `visit`.
    Status read(Timestamp since, const std::function<void(const Reading&)>& visit);
    Result<std::int64_t> size();

private:
    ReadingHistory(Database& database, Statement insert)
        : database_(&database), insert_(std::move(insert)) {}

    Database* database_;
    Statement insert_;
    std::vector<Reading> buffer_;
};

}  // namespace passerelle::store
