// SPDX-License-Identifier: Apache-2.0
// Functions over a series' recent history, as a condition names them: avg(temperature, 2h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/time.h"

namespace passerelle::rules {

enum class WindowKind : std::uint8_t { Avg, Min, Max, Sum, Count, Delta, Rate, Age };

/// "avg", "min"…: the function names, in WindowKind order.
std::string_view to_string(WindowKind kind);
std::optional<WindowKind> window_kind(std::string_view name);

/// Local times of day from `from` (included) to `to` (excluded), in minutes since midnight; may
/// wrap past midnight, as "22:00-06:00".
struct DayRange {
    int from = 0;
    int to = 0;
    bool contains(int minute_of_day) const {
        return from <= to ? minute_of_day >= from && minute_of_day < to
                          : minute_of_day >= from || minute_of_day < to;
    }
    bool operator==(const DayRange&) const = default;
};

/// Parses "02:00-05:00"; empty when malformed or when both ends are equal.
std::optional<DayRange> parse_day_range(std::string_view text);

/// One window function call of some rule. Equal specs share one evaluation slot.
struct WindowSpec {
    WindowKind kind = WindowKind::Avg;
    /// The series: a fixed topic when `topic` is set, else `quantity` of the reading's source
    /// (the reading's topic with its last level replaced).
    std::string quantity;
    std::string topic;
    Duration span{0};  // 0 for age()
    std::optional<DayRange> during;
    bool operator==(const WindowSpec&) const = default;
    /// age() of the rule's own key: read from the key's latest reading, no series needed.
    bool reads_own_key() const { return kind == WindowKind::Age && topic.empty() && quantity.empty(); }
};

/// The topic of the series a window reads, for the reading on `reading_topic` (or the filter of
/// those series, for a listen filter): `spec.topic`, `reading_topic` itself, or `reading_topic`
/// with its last level replaced by the quantity, built in `scratch` so that a caller evaluating
/// many readings allocates once.
std::string_view series_topic(const WindowSpec& spec, std::string_view reading_topic,
                              std::string& scratch);

}  // namespace passerelle::rules
