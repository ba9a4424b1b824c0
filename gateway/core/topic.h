// SPDX-License-Identifier: Apache-2.0
// MQTT topic names and filters, and the canonical namespace built on them (DESIGN §2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle {

std::vector<std::string_view> split_topic(std::string_view topic);

/// A topic a message may be published on: non-empty, no wildcard, no NUL, at most 65535 bytes.
Status validate_topic_name(std::string_view topic);
/// A subscription filter: `+` fills a whole level, `#` only as the last level.
Status validate_topic_filter(std::string_view filter);
/// MQTT matching (MQTT 5 §4.7), including `$`-topics not matched by a leading wildcard.
bool topic_matches(std::string_view filter, std::string_view topic);

/// Whether every topic matched by `specific` is matched by `general` too (a filter covers itself).
bool filter_covers(std::string_view general, std::string_view specific);

/// An identifier usable as one topic level and as a key in files: letters, digits, `-`, `_`, `.`.
bool is_identifier(std::string_view text);
/// `text` made one topic level of identifier characters: anything else becomes '_', and an empty
/// text "_". Alert keys and derived signal names come from data and must stay one level.
std::string as_topic_level(std::string text);

enum class TopicKind { Telemetry, Signal };

/// What a canonical topic says about its payload's origin.
struct CanonicalTopic {
    TopicKind kind = TopicKind::Telemetry;
    std::string provider;
    std::string entity;    // for signals, the signal's name
    std::string quantity;  // for signals, the signal's name
};

/// `telemetry/<provider>/<entity>/<quantity>` or `signal/<provider>/<name>`; an error says which level
/// is missing or malformed.
Result<CanonicalTopic> parse_canonical_topic(std::string_view topic);
std::string telemetry_topic(std::string_view provider, std::string_view entity,
                            std::string_view quantity);
std::string signal_topic(std::string_view provider, std::string_view name);

}  // namespace passerelle
