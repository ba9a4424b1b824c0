// SPDX-License-Identifier: Apache-2.0
// Dead letters: a rejected message's topic, the reason, and an excerpt of what it carried.
#pragma once

#include <string>
#include <string_view>

#include "gateway/core/time.h"

namespace passerelle::daemon {

inline constexpr std::size_t kDeadLetterExcerptBytes = 256;

/// The JSON published on passerelle/<instance>/deadletter: {"topic","reason","code","payload",
/// "payload_bytes","ts"}. A payload that is not valid UTF-8 is given as hex.
std::string dead_letter_payload(std::string_view topic, std::string_view code,
                                std::string_view reason, std::string_view payload, Timestamp now);

}  // namespace passerelle::daemon
