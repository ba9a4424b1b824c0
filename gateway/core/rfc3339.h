// SPDX-License-Identifier: Apache-2.0
// RFC 3339 date-times as other systems write them (network servers, wmbusmeters): any number of fractional digits (ChirpStack
// and The Things Stack print nanoseconds) and any UTC offset. core's parse_utc stays strict on
// purpose (a time in a config file must mean the same everywhere); envelope times are not ours.
#pragma once

#include <optional>
#include <string_view>

#include "gateway/core/time.h"

namespace passerelle {

/// "2022-07-18T09:34:15.775023242+00:00", "2020-02-12T15:15:45.787Z", "...T11:34:15-02:30":
/// the instant, in UTC. Fractional seconds beyond the microsecond are truncated (rule time's
/// resolution); 'T'/'t' and 'Z'/'z' are both accepted, as RFC 3339 §5.6 allows; second 60 (a leap
/// second) reads as the first second of the next minute. Empty for anything else, and for
/// instants outside years 1970..9999 once the offset is applied.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace passerelle
