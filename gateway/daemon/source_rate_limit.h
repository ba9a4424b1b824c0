// SPDX-License-Identifier: Apache-2.0
// A rate limit per source, so that one runaway device or party cannot starve the others: a token
// bucket per source, the source being the first two levels of the message's topic
// (telemetry/<provider>, signal/<provider>, wmbus/<receiver>, application/<id>…).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace passerelle::daemon {

class SourceRateLimit {
public:
    using Clock = std::chrono::steady_clock;

    /// `per_second` messages a second on average, up to `burst` at once; 0 turns the limit off.
    SourceRateLimit(double per_second, double burst);

    /// Whether a message on `topic` at `now` is within its source's rate; one that is not is
    /// dropped by the caller (and counted).
    bool admit(std::string_view topic, Clock::time_point now);

    /// "telemetry/hs" for telemetry/hs/d-1/temperature.
    static std::string_view source_of(std::string_view topic);

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point refilled;
    };
    /// Hostile topics must not grow memory forever: beyond this many sources, all start afresh.
    static constexpr std::size_t kMaxSources = 10'000;

    double per_second_;
    double burst_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace passerelle::daemon
