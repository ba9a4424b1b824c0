// SPDX-License-Identifier: Apache-2.0
// The two readers behind each envelope parser of envelope.h. The scanner reads the fields in
// place without building a document, and gives up on anything it would have to refuse or does not
// handle; the DOM reader parses with nlohmann::json, is the reference, and words every error.
// parse_chirpstack_uplink and parse_tts_uplink try the first, then the second.
#pragma once

#include <optional>
#include <string_view>

#include "connectors/lorawan/envelopes/uplink.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan::detail {

/// The uplink when the text is a valid envelope whose every field the DOM reader accepts, with
/// the same values; nothing otherwise (or when unsure: a member given twice, a byte order mark).
std::optional<Uplink> scan_chirpstack_uplink(std::string_view json);
std::optional<Uplink> scan_tts_uplink(std::string_view json);

/// The DOM readers: the uplink or the error of envelope.h.
Result<Uplink> read_chirpstack_uplink(std::string_view json);
Result<Uplink> read_tts_uplink(std::string_view json);

}  // namespace passerelle::connectors::lorawan::detail
