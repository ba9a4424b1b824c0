// SPDX-License-Identifier: Apache-2.0
// wmbusmeters' JSON messages to the readings of the registry's meters.
#pragma once

#include <string_view>

#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::wmbusmeters {

/// One message from `source` (the MQTT topic), received at `received`: the meter named by its
/// `id` must be declared in the registry (meter.unknown otherwise, see mbus::bind_meter); the
/// readings are dated by wmbusmeters' timestamp when it gives one. Errors: those of
/// parse_wmbusmeters_json and meter.unknown.
Result<DeviceReport> adapt_message(const Territory& territory, std::string_view payload,
                                   std::string_view source, Timestamp received);

}  // namespace passerelle::connectors::wmbusmeters
