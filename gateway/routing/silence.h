// SPDX-License-Identifier: Apache-2.0
// Silences: a recipient mutes, for a while, the routed notices of the alerts it already knows
// about (works planned in a building, a sensor being replaced), with who and why.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "gateway/routing/inhibition.h"

namespace passerelle::routing {

struct Silence {
    std::string id;         // 16 hex digits
    std::string recipient;  // whose notices it mutes: a silence never reaches another party's
    AlertLabels matchers;   // every one must hold, e.g. {building: hs-bat-a}; at least one
    Timestamp starts;       // when it was created (rule time)
    Timestamp ends;
    std::string author;
    std::string reason;

    bool covers(const std::string& alert_recipient, const AlertLabels& labels) const;
};

/// What arrived on notify/<recipient>/silence: a new silence, or the early end of one.
struct SilenceRequest {
    std::optional<Silence> add;
    std::string expire;  // a silence's id
    std::string author;
};

/// The recipient of a silence topic, notify/<recipient>/silence; none for other topics.
std::optional<std::string> silence_recipient(std::string_view topic);

/// Longest a silence may last: one forgotten must not hide a territory's alerts for ever.
inline constexpr Duration kMaxSilence = std::chrono::hours(24 * 31);

/// `{"matchers": {"building": "hs-bat-a"}, "for": "3d" | "until": "2026-07-20T18:00:00Z",
/// "author": "…", "reason": "…"}`, or `{"expire": "<id>", "author": "…"}`. `now` is when it
/// starts. Errors: silence.bad-json, silence.no-matcher, silence.bad-end (missing, not after now,
/// or over 31 days), silence.no-author, silence.no-reason, silence.bad-id, silence.too-long.
Result<SilenceRequest> parse_silence_request(std::string_view topic, std::string_view payload,
                                             Timestamp now);

nlohmann::json to_json(const Silence& silence);
/// Back from the store; none when it cannot be read.
std::optional<Silence> silence_from_json(const nlohmann::json& json);

}  // namespace passerelle::routing
