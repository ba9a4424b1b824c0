// SPDX-License-Identifier: Apache-2.0
// The messages received from the broker, appended to a file as they arrive, before the rules see
// them. Paho acknowledges a QoS 1 message to the broker on receipt, so the broker forgets it at
// once; without this journal a crash would lose what was received but not yet evaluated and
// written. The store records how far evaluation has gone (EvaluatedPosition); at the next start
// the messages after that position are evaluated again, and fully evaluated segments are deleted.
//
// A segment is journal/<first sequence number, 20 digits>.seg: an 8-byte magic, then records of
// [u32 body size][u32 FNV-1a of the body][u64 sequence][u32 topic size][topic][payload], little
// endian. One write() per record, so a killed process leaves whole records; a damaged tail (power
// loss) is detected by its checksum and dropped.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::store {

class IngestJournal {
public:
    /// A new segment is started past this size; older ones are deleted once evaluated.
    static constexpr std::size_t kDefaultSegmentBytes = 8U << 20U;

    struct Entry {
        std::uint64_t sequence = 0;
        std::string topic;
        std::string payload;
    };

    /// What opening found in the segments left by the previous run.
    struct Recovery {
        std::vector<Entry> unevaluated;  // after `evaluated_through`, in arrival order
        std::size_t damaged_bytes = 0;   // dropped from damaged segment tails
        std::size_t segments_kept = 0;
    };

    /// Opens `directory` (created if needed), reads its segments, deletes those entirely
    /// evaluated, and starts a new segment for what comes next.
    static Result<std::unique_ptr<IngestJournal>> open(
        const std::filesystem::path& directory, std::uint64_t evaluated_through, Recovery& recovery,
        std::size_t segment_bytes = kDefaultSegmentBytes);

    ~IngestJournal();
    IngestJournal(const IngestJournal&) = delete;
    IngestJournal& operator=(const IngestJournal&) = delete;

    /// Appends one message and returns its sequence number. Safe from any thread. On error
    /// (disk full…) nothing is left of the record in the file.
    Result<std::uint64_t> append(std::string_view topic, std::string_view payload);

    /// Everything up to `sequence` is evaluated and written: deletes the segments holding
    /// nothing after it.
    void release_through(std::uint64_t sequence);

    /// The last sequence number given, 0 before the first.
    std::uint64_t last_sequence() const;
    std::size_t segment_count() const;

private:
    struct Segment {
        std::uint64_t first = 0;
        std::filesystem::path path;
    };

    IngestJournal(std::filesystem::path directory, std::size_t segment_bytes,
                  std::uint64_t next_sequence);
    Status start_segment();  // under mutex_

    const std::filesystem::path directory_;
    const std::size_t segment_bytes_;
    mutable std::mutex mutex_;
    std::deque<Segment> segments_;  // oldest first; the last one is written
    int fd_ = -1;
    std::size_t size_ = 0;  // of the segment written
    std::uint64_t next_sequence_;
    std::string record_;  // reused buffer
};

}  // namespace passerelle::store
