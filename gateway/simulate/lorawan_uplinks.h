// SPDX-License-Identifier: Apache-2.0
// The readings a scenario gives the territory's LoRaWAN sensors, turned into the uplinks a
// ChirpStack network server would publish for them, so that a simulation goes through the
// LoRaWAN connector and the devices' codecs as the field does.
#pragma once

#include <vector>

#include "gateway/config/settings.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// With a lorawan connector whose topics take ChirpStack's `application/+/device/+/event/up`,
/// the readings of each entity that has a `lorawan:` device, taken together per instant, become
/// one ChirpStack v4 `up` event: the payload encoded for the device's codec (elsys: temperature
/// 0x01 and humidity 0x02; lpp: temperature and relative humidity on channel 1; network-server:
/// the `object` its fields read, each reading at the pointer of the field of its quantity and
/// unit, unscaled), fCnt counting per
/// device, one gateway's plausible RSSI and SNR. Each uplink is adapted back as the gateway will;
/// those readings (radio ones included) are what a recording keeps. Other items, and everything
/// without such a connector, are left as they are. Errors: a quantity the codec cannot carry, a
/// codec the simulator cannot encode (milesight, dragino-lht65), and any adaptation mismatch.
Result<std::vector<ScheduledReading>> as_lorawan_uplinks(
    std::vector<ScheduledReading> schedule, const Territory& territory,
    const config::ConnectorSettings& connectors);

}  // namespace passerelle::simulate
