// SPDX-License-Identifier: Apache-2.0
// Recent history of the series that window functions read, bounded in time and in samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/core/time.h"
#include "rules/compiler/topic_index.h"
#include "rules/compiler/window_spec.h"

namespace passerelle::rules {

struct Sample {
    Timestamp time;
    double value = 0;
    std::int16_t minute_of_day = 0;  // local time, for windows restricted to hours of the day
};

/// One topic's samples, oldest first: those inside the longest window reading it, plus the one
/// just before, which tells that the history covers the whole window.
struct Series {
    std::deque<Sample> samples;
};

class SeriesStore {
public:
    /// Samples kept per series at most: memory stays bounded whatever a device sends.
    static constexpr std::size_t kMaxSamples = 10'000;

    /// Appends a sample and forgets those older than `retention` before it (keeping one). A
    /// sample older than the series' latest one is ignored (out of order), and counted.
    void record(std::string_view topic, const Sample& sample, Duration retention);
    const Series* find(std::string_view topic) const;
    /// Sets every sample's minute of the day: for history recorded while no window needed it.
    template <typename MinuteOfDay>
    void restamp(MinuteOfDay&& minute_of_day) {
        for (auto& [topic, series] : series_) {
            for (Sample& sample : series.samples) {
                sample.minute_of_day = minute_of_day(sample.time);
            }
        }
    }

    std::size_t series_count() const { return series_.size(); }
    std::size_t sample_count() const;
    /// Samples dropped because a series reached kMaxSamples within its retention.
    std::uint64_t overflowed() const { return overflowed_; }
    std::uint64_t out_of_order() const { return out_of_order_; }

private:
    std::unordered_map<std::string, Series, StringViewHash, std::equal_to<>> series_;
    std::uint64_t overflowed_ = 0;
    std::uint64_t out_of_order_ = 0;
};

/// A window function at `now`. Unknown (nullopt) when the series is unknown, when its history
/// does not reach back over the whole window (after a start, for instance), or when no sample
/// in the window passes the hours filter (two for delta and rate). age() needs one sample.
std::optional<double> evaluate_window(const WindowSpec& spec, const Series* series, Timestamp now);

}  // namespace passerelle::rules
