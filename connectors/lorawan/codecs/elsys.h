// SPDX-License-Identifier: Apache-2.0
// Elsys (ERS, ERS CO2, ERS Lite, ERS Sound, ERS VOC, ERS Eye, ELT, EMS): `type(1) value`, no
// length, big-endian, as in Elsys' payload document and reference decoder.
//
// Quantities and units, by type: 01 temperature Cel; 02 humidity %RH; 03 acceleration_x/_y/_z
// m/s2 (63 counts = 1 g); 04 illuminance lx; 05 motion (PIR count); 06 co2 ppm; 07 battery V
// (VDD, given in mV); 08 analog_1 V; 09 gps_latitude_raw, gps_longitude_raw (the 24-bit values,
// whose scale Elsys leaves device-specific; noted); 0A pulse_1 (count since the last frame); 0B
// pulse_1_total; 0C external_temperature Cel; 0D digital_input (0/1); 0E distance m (given in
// mm); 0F acceleration_motion (count); 10 ir_temperature_internal and ir_temperature_external
// Cel; 11 occupancy (0 none, 1 pending, 2 occupied); 12 water_leak (0-255); 13 grideye_reference
// and grideye_00..grideye_63 Cel; 14 pressure Pa (given in 1/1000 hPa); 15 sound_peak and
// sound_average dB; 16 pulse_2; 17 pulse_2_total; 18 analog_2 V; 19 external_temperature_2 Cel
// (one per probe: repeats are channels 1, 2...); 1A digital_input_2; 1B external_analog V (given in
// µV); 1C tvoc ppm (given in ppb: SenML has no ppb). 3D (debug) is skipped and 3E (sensor
// settings) ends the readings, each with a note.
#pragma once

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Errors:
/// - elsys.empty: "empty payload: no record to decode"
/// - elsys.truncated: "truncated TLV at byte 4: type 0x01 (temperature) needs 2 bytes, 1 left"
/// - elsys.unknown-type: "unknown type 0x7F at byte 4: its size is unknown, so the records after
///   it cannot be found"
Result<DecodedPayload> decode_elsys(const PayloadInput& uplink);

}  // namespace passerelle::connectors::lorawan
