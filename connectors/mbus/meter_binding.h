// SPDX-License-Identifier: Apache-2.0
// Which registry entity a decoded meter telegram belongs to: the same lookup for wired and radio.
#pragma once

#include <string_view>

#include "gateway/core/meter.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::mbus {

struct BoundMeter {
    const MeterBinding* meter = nullptr;
    const Entity* entity = nullptr;
};

/// The meter `id` of `manufacturer` and its entity. `medium` only serves the message. Error
/// meter.unknown: "unknown meter 12345678 (SEN, water): declare it in the entity registry with
/// meter: {id: \"12345678\"} on its entity". The message names the meter and nothing else, so
/// that callers may report each unknown meter once by it.
Result<BoundMeter> bind_meter(const Territory& territory, std::string_view id,
                              std::string_view manufacturer, std::string_view medium);

}  // namespace passerelle::connectors::mbus
