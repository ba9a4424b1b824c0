// SPDX-License-Identifier: Apache-2.0
// The readings a scenario gives an entity that the gateway polls over Modbus, turned into the
// registers its device would hold, so that a simulation goes through the Modbus connector as the
// field does.
#pragma once

#include <string>
#include <vector>

#include "connectors/modbus/device.h"
#include "gateway/config/settings.h"
#include "gateway/core/result.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

/// The Modbus devices of the configuration on this machine's loopback: those `simulate` serves.
std::vector<connectors::modbus::Device> served_modbus_devices(
    const config::ConnectorSettings& connectors);

/// "modbus://host:port/unit": the topic of a served device's items, as the gateway names it.
std::string modbus_source(const connectors::modbus::Device& device);

/// The readings of each served device's entity at one instant become one item whose `registers`
/// hold them as the device's register map says (type, byte order, scale, offset) and whose
/// clock register holds that instant. Points the scenario gives no value hold their `no_value`
/// sentinel when they have one, else zero (a bit: false). `carried` holds what the gateway
/// decodes from those registers: every point but the sentinels, dated by the clock. Other items
/// stay as they are. Errors: a served device without a clock register (its readings would be
/// dated by the gateway's clock, not the scenario's), a reading the map has no point for, and a
/// value its point cannot hold.
Result<std::vector<ScheduledReading>> as_modbus_registers(
    std::vector<ScheduledReading> schedule, const config::ConnectorSettings& connectors);

}  // namespace passerelle::simulate
