// SPDX-License-Identifier: Apache-2.0
// The inverse of decode_point: a value becomes the registers a device would hold for it, in the
// point's type and byte order. The simulator serves these; tests check them by decoding back.
#pragma once

#include <cstdint>
#include <vector>

#include "connectors/modbus/register_map.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::modbus {

/// Registers of one table from `address` on (one word per bit for coils and discrete inputs).
struct RegisterWrite {
    Table table = Table::Holding;
    std::uint16_t address = 0;
    std::vector<std::uint16_t> words;
};

/// The registers (width_of(point.type) of them) holding the raw value `raw`, before scale and
/// offset: what a device stores. Integer types round to the nearest integer. Errors:
/// modbus.out-of-range when the type cannot hold it (or it is not finite for an integer type).
Result<std::vector<std::uint16_t>> encode_raw(const Point& point, double raw);

/// The registers for which decode_point gives back `value` (to the type's resolution): raw =
/// (value - offset) / scale. Errors: modbus.out-of-range as above, modbus.value-type for a bool
/// given to a number point or the reverse, or text.
Result<std::vector<std::uint16_t>> encode_point(const Point& point, const Value& value);

}  // namespace passerelle::connectors::modbus
