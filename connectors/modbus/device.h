// SPDX-License-Identifier: Apache-2.0
// One Modbus TCP device to poll: where it is, how patiently to ask, and its register map.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "connectors/modbus/register_map.h"
#include "connectors/modbus/request_plan.h"

namespace passerelle::connectors::modbus {

struct Device {
    std::string name;  // the entity its readings belong to
    std::string host;
    std::uint16_t port = 502;
    int unit_id = 1;  // 0..247; 255 is common for TCP-only devices
    std::chrono::milliseconds interval{60'000};
    /// Per request, and for connecting.
    std::chrono::milliseconds timeout{1000};
    /// Extra tries of a request that timed out or lost its connection; an exception is an answer
    /// and is not retried.
    int retries = 1;
    PlanLimits limits;
    RegisterMap map;
    /// Registers holding the device's own Unix time in seconds (uint32 or int64, named "clock"):
    /// when set, a poll's readings are dated by it rather than by the gateway's clock at the end
    /// of the poll, since a controller knows when it measured better than a poller that asks
    /// every minute (and a simulated device runs on its scenario's clock).
    std::optional<Point> clock;
};

}  // namespace passerelle::connectors::modbus
