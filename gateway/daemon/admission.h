// SPDX-License-Identifier: Apache-2.0
// Whether a decoded reading may enter the rules, by the rules of the territory (live and replay).
#pragma once

#include <string_view>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::daemon {

/// A telemetry reading must come from its entity's owner in the registry (DESIGN §5): error
/// "topic.provider-mismatch" otherwise. Entities missing from the registry are accepted.
Status admit_reading(std::string_view topic, const Reading& reading, const Territory& territory);

}  // namespace passerelle::daemon
