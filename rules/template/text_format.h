// SPDX-License-Identifier: Apache-2.0
// How template filters write durations and local times: in French, as notices are read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/time.h"
#include "gateway/core/time_zone.h"

namespace passerelle::rules {

/// Seconds in words, the two largest units and no more, truncated: "2 h 15 min", "3 j 4 h",
/// "45 s", "0 s". A notice is read, not parsed: "1 h 59 min" is closer to the truth than "2 h".
std::string duration_in_words(double seconds);

/// `t` in `zone` after a pattern of directives: %d day, %m month, %Y year, %H hour, %M minute,
/// %S second (two digits each, four for the year), %A weekday and %B month in French words
/// ("mardi", "juillet"), %Z the zone's abbreviation ("CEST"), %% a '%'.
std::string format_local(Timestamp t, const TimeZone& zone, std::string_view pattern);

/// The offset of the first directive format_local does not know, if any ('%' at the end too).
std::optional<std::size_t> unknown_directive(std::string_view pattern);

}  // namespace passerelle::rules
