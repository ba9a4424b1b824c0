// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/series_store.h"

#include <algorithm>
#include <limits>

namespace passerelle::rules {
namespace {

double fractional_seconds(Duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

void SeriesStore::record(std::string_view topic, const Sample& sample, Duration retention) {
    auto it = series_.find(topic);
    if (it == series_.end()) {
        it = series_.emplace(std::string(topic), Series{}).first;
    }
    auto& samples = it->second.samples;
    if (!samples.empty() && sample.time < samples.back().time) {
        ++out_of_order_;
        return;
    }
    samples.push_back(sample);
    // Keep one sample at or before the start of the longest window: it proves the coverage.
    const Timestamp horizon = sample.time - retention;
    while (samples.size() > 1 && samples[1].time <= horizon) {
        samples.pop_front();
    }
    if (samples.size() > kMaxSamples) {
        samples.pop_front();
        ++overflowed_;
    }
}

const Series* SeriesStore::find(std::string_view topic) const {
    const auto it = series_.find(topic);
    return it == series_.end() ? nullptr : &it->second;
}

std::size_t SeriesStore::sample_count() const {
    std::size_t count = 0;
    for (const auto& [topic, series] : series_) {
        count += series.samples.size();
    }
    return count;
}

std::optional<double> evaluate_window(const WindowSpec& spec, const Series* series, Timestamp now) {
    if (series == nullptr || series->samples.empty()) {
        return std::nullopt;
    }
    const auto& samples = series->samples;
    if (spec.kind == WindowKind::Age) {
        return fractional_seconds(now - samples.back().time);
    }
    const Timestamp start = now - spec.span;
    if (samples.front().time > start) {
        return std::nullopt;  // the history does not cover the window yet
    }
    double sum = 0;
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    std::size_t count = 0;
    const Sample* first = nullptr;
    const Sample* last = nullptr;
    // Newest first: the window is the end of the series, and readings after `now` (a reading
    // evaluated late) are not part of it.
    for (auto it = samples.rbegin(); it != samples.rend() && it->time > start; ++it) {
        if (it->time > now || (spec.during && !spec.during->contains(it->minute_of_day))) {
            continue;
        }
        if (last == nullptr) {
            last = &*it;
        }
        first = &*it;
        sum += it->value;
        low = std::min(low, it->value);
        high = std::max(high, it->value);
        ++count;
    }
    switch (spec.kind) {
        case WindowKind::Count:
            return static_cast<double>(count);
        case WindowKind::Sum:
            return sum;
        case WindowKind::Avg:
            return count == 0 ? std::nullopt : std::optional<double>(sum / static_cast<double>(count));
        case WindowKind::Min:
            return count == 0 ? std::nullopt : std::optional<double>(low);
        case WindowKind::Max:
            return count == 0 ? std::nullopt : std::optional<double>(high);
        case WindowKind::Delta:
            return count < 2 ? std::nullopt : std::optional<double>(last->value - first->value);
        case WindowKind::Rate:
            if (count < 2 || last->time == first->time) {
                return std::nullopt;
            }
            return (last->value - first->value) / fractional_seconds(last->time - first->time);
        case WindowKind::Age:
            break;
    }
    return std::nullopt;
}

}  // namespace passerelle::rules
