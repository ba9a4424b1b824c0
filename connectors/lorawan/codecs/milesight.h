// SPDX-License-Identifier: Apache-2.0
// Milesight channel/type records (EM300-TH, EM320-TH, AM100 series: AM103, AM104, AM107):
// `channel(1) type(1) value`, little-endian, as in Milesight's SensorDecoders documents.
//
// Quantities and units, by channel and type: 01 75 battery %EL; 03 67 temperature Cel; 04 68
// humidity %RH; 05 6A activity (PIR level, no unit); 06 65 illuminance lx, infrared_and_visible
// and infrared (raw, no unit); 07 7D co2 ppm; 08 7D tvoc ppm (given in ppb: SenML has no ppb);
// 09 73 pressure Pa (given in 0.1 hPa). The channel byte identifies the sensor, so it is part
// of the record's identity, not a reading's channel.
//
// Skipped with a note, without failing: device information sent after a join (ff 01 protocol
// version, ff 09 hardware, ff 0a firmware, ff 0b power-on, ff 0f class, ff 16 serial number) and
// history records (20 ce: a unix time and past values; 7 bytes on the EM320-TH, 8 on the
// EM300-TH, 9 with CO2 on the AM103), which are past readings, not current ones.
#pragma once

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Errors:
/// - milesight.empty: "empty payload: no record to decode"
/// - milesight.truncated: "truncated record at byte 3: channel 0x03 type 0x67 (temperature) needs
///   2 bytes, 1 left", or "... byte 9: channel 0x04 has no type byte"
/// - milesight.unknown-record: "unknown record channel 0x05 type 0x99 at byte 4: its size is
///   unknown, so the records after it cannot be found"
/// - milesight.bad-history: "history record at byte 0: 5 bytes follow, not one 7-, 8- or 9-byte
///   record"
Result<DecodedPayload> decode_milesight(const PayloadInput& uplink);

}  // namespace passerelle::connectors::lorawan
