// SPDX-License-Identifier: Apache-2.0
// Reads a Modbus device and its register map from YAML, reporting every mistake with its
// file:line:column.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connectors/modbus/device.h"
#include "gateway/core/diagnostic.h"

namespace passerelle::connectors::modbus {

/// The file's device, or nullopt when `diagnostics` gained an error. The format:
///
///     device: sst-nord                     # entity name
///     transport: {host: 10.0.0.5, port: 502, unit_id: 1, timeout_ms: 1000, poll_s: 60,
///                 retries: 1}
///     address_base: 0                      # required: 0 (PDU) or 1 (manuals' "register 1")
///     byte_order: ABCD                     # default for points; ABCD, CDAB, BADC, DCBA
///     max_gap: 8                           # optional, see PlanLimits
///     max_registers: 125                   # optional
///     registers:
///       - {name: supply_temperature, register: input, address: 2, type: int16, scale: 0.1,
///          unit: Cel, no_value: 32767}
///     clock: {register: input, address: 12, type: uint32}   # optional, see Device::clock
///
/// `register` is holding, input, coil or discrete; `type` int16, uint16, int32, uint32, int64,
/// float32, float64 (registers) or bool (coils, discrete inputs), case-insensitive. `unit` is a
/// SenML symbol; a point without one is dimensionless. `no_value` is a raw value that
/// means "no value" (see Point::no_value). Codes: modbus.bad-table,
/// modbus.unknown-type, modbus.bad-order, modbus.type-mismatch, modbus.bad-address, modbus.overlap,
/// modbus.duplicate-name, modbus.bad-number, modbus.bad-unit, modbus.bad-base, modbus.bad-clock
/// (a clock that is not a uint32 or int64 register value), plus the yaml.* codes. `poll_s` may
/// have decimals, down to 0.01.
std::optional<Device> load_device_file(const std::string& path, Diagnostics& diagnostics);
/// The same from text; `file` names it in diagnostics.
std::optional<Device> load_device_text(std::string_view text, const std::string& file,
                                       Diagnostics& diagnostics);

}  // namespace passerelle::connectors::modbus
