// SPDX-License-Identifier: Apache-2.0
// Strict base64 for payloads in network-server envelopes: a bad character is reported, never
// skipped, so a corrupted payload cannot decode into plausible but wrong sensor values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Decodes `text`, the value of the envelope field `field` (named in errors). The protobuf JSON
/// mapping both servers follow writes the standard alphabet with padding and lets readers accept
/// the URL-safe one and missing padding, so those are accepted too. Refused, as
/// lorawan.bad-base64 with a 0-based position:
/// - "invalid base64 character '%' at position 12 of 'data'" (also for a '=' not at the end,
///   and for a character after the padding);
/// - "'data' has 5 base64 characters: a length of 4n+1 cannot be base64";
/// - "'data' has padding that does not complete a 4-character group";
/// - "non-zero unused bits in the last base64 character at position 3 of 'data'" (a
///   non-canonical encoding: two different texts would give the same bytes).
Result<std::vector<std::uint8_t>> decode_base64(std::string_view text, std::string_view field);

}  // namespace passerelle::connectors::lorawan
