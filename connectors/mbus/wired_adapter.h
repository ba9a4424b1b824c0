// SPDX-License-Identifier: Apache-2.0
// The telegrams one wired meter answered to the readings of its registry entity.
#pragma once

#include <span>
#include <string_view>

#include "connectors/mbus/mbus_decoder.h"
#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::mbus {

/// The answer of one meter (one telegram, or several when more records followed), read from
/// `source` ("mbus://10.0.0.5:10001/3") at `when`. The meter is found by the identity of its long
/// header (CI 0x72). Records of all telegrams are named together, so a name repeated in a later
/// telegram is numbered. Errors: meter.unknown (see bind_meter), and mbus.no-identity: "the
/// meter at mbus://…/3 sends no identification (CI 0x7A short header): only meters with a long
/// header (CI 0x72) can be matched to the registry".
Result<DeviceReport> wired_report(const Territory& territory,
                                  std::span<const DecodedTelegram> telegrams,
                                  std::string_view source, Timestamp when);

}  // namespace passerelle::connectors::mbus
