// SPDX-License-Identifier: Apache-2.0
// Calendar dates as people write them in configuration and on the command line: "2026-07-14".
#pragma once

#include <optional>
#include <string_view>

#include "gateway/core/time.h"
#include "gateway/core/time_zone.h"

namespace passerelle {

/// Midnight starting the day `date` ("YYYY-MM-DD") names in `zone`, or `days_after` days later
/// (1: the end of that day). Empty when it is not such a date or no such day exists (02-30).
std::optional<Timestamp> local_midnight(std::string_view date, const TimeZone& zone,
                                        int days_after = 0);

}  // namespace passerelle
