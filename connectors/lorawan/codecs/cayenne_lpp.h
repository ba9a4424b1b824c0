// SPDX-License-Identifier: Apache-2.0
// Cayenne LPP (myDevices): repeated `channel(1) type(1) value(N)`, big-endian; type = IPSO object
// id - 3200. Every type of the myDevices table and the extensions of ElectronicCats' CayenneLPP
// (generic sensor, voltage, current, frequency, percentage, altitude, power, distance, energy,
// direction, unix time, switch), each reading keeping its channel.
//
// Quantities and units: digital_input, digital_output, presence, switch, generic (no unit);
// analog_input, analog_output (no unit, 0.01 steps); illuminance lx; temperature Cel; humidity
// %RH; pressure Pa (the frame's hPa x 100: SenML has no hPa); acceleration_x/_y/_z m/s2 (g x
// 9.80665); angular_velocity_x/_y/_z in degrees per second without unit (SenML has none; noted);
// latitude lat, longitude lon, altitude m (GPS, and the altitude type); voltage V; current A;
// frequency Hz; percentage %; power W; distance m; energy kWh; direction deg; unix_time s.
#pragma once

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Errors:
/// - lpp.empty: "empty payload: no record to decode"
/// - lpp.truncated: "truncated record at byte 4: channel 3 type 0x67 (temperature) needs 2 bytes,
///   1 left", or "... byte 8: channel 5 has no type byte"
/// - lpp.unknown-type: "unknown type 0x7F at byte 5 (channel 3): its size is unknown, so the
///   records after it cannot be found"
Result<DecodedPayload> decode_cayenne_lpp(const PayloadInput& uplink);

}  // namespace passerelle::connectors::lorawan
