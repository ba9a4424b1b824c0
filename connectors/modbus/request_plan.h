// SPDX-License-Identifier: Apache-2.0
// Batches a map's points into as few read requests as the protocol allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "connectors/modbus/register_map.h"

namespace passerelle::connectors::modbus {

struct PlanLimits {
    /// Unused registers (or bits) a request may read between two points rather than split; reading
    /// a few more registers costs less than another round trip, but some devices answer "illegal
    /// data address" for holes in their map: set 0 for those.
    std::uint16_t max_gap = 8;
    /// FC 03/04 read at most 125 registers (a 250-byte PDU payload); some controllers accept fewer
    /// (Danfoss ECL: 123).
    std::uint16_t max_registers = 125;
    /// FC 01/02 read at most 2000 bits.
    std::uint16_t max_bits = 2000;
};

struct ReadRequest {
    Table table = Table::Holding;
    std::uint16_t address = 0;        // 0-based PDU address
    std::uint16_t count = 0;          // registers, or bits for coils and discrete inputs
    std::vector<std::size_t> points;  // indexes into the map's points, by address
};

/// Requests by table (holding, input, coil, discrete) then address. Each point lies entirely
/// within one request. A point wider than the limit (impossible with the default limits) gets a
/// request of its own.
std::vector<ReadRequest> plan_requests(std::span<const Point> points, PlanLimits limits = {});

}  // namespace passerelle::connectors::modbus
