// SPDX-License-Identifier: Apache-2.0
// Time as the rules see it: microsecond timestamps taken from the readings themselves.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::time_point<std::chrono::system_clock, Duration>;

/// Seconds since the Unix epoch (fractional allowed, as in SenML) to a Timestamp.
/// Empty when the value cannot be a time (NaN, infinite, outside years 1970..9999).
std::optional<Timestamp> timestamp_from_epoch_seconds(double seconds);
double to_epoch_seconds(Timestamp t);

/// "2026-07-14T15:04:05Z", or with milliseconds when the time has any: "…05.250Z".
std::string format_utc(Timestamp t);
/// "2026-07-14T10:00:00Z", with optional fractional seconds down to the microsecond; only UTC
/// (`Z`) is accepted, so that a time written in a file means the same on every machine.
std::optional<Timestamp> parse_utc(std::string_view text);

/// Parses "90s", "15min", "2h", "1d", "500ms", and sums like "1h30min". Empty on error, and for
/// durations over 100 years.
std::optional<Duration> parse_duration(std::string_view text);
/// The inverse of parse_duration, shortest exact form: "2h", "1h30min", "45s".
std::string format_duration(Duration d);

}  // namespace passerelle
