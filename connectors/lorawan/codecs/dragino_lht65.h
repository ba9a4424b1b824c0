// SPDX-License-Identifier: Apache-2.0
// Dragino LHT65 on fPort 2: 11 bytes, big-endian, `BAT(2) TempSHT(2) HumSHT(2) Ext(1)
// ExtData(4)`, as in Dragino's user manual and reference decoder.
//
// Readings: battery V (BAT & 0x3FFF, mV) and battery_status (BAT >> 14: 0 ultra low, 1 low, 2
// OK, 3 good), temperature Cel and humidity %RH from the SHT sensor, then by the low nibble of
// Ext: 0 none; 1 external_temperature Cel (DS18B20); 4 interrupt_level and interrupt (0/1); 5
// illuminance lx; 6 adc_voltage V; 7 and 8 count (16- and 32-bit counters); 9 external_temperature
// from bytes 0-1 (the battery voltage is then absent), its timestamp noted; 15 the probe's id,
// noted (no SHT readings then). Ext bit 7 (probe not connected) drops the external reading, with
// a note.
#pragma once

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Errors:
/// - dragino-lht65.bad-fport: "LHT65 readings come on fPort 2, not 42"
/// - dragino-lht65.bad-length: "an LHT65 uplink has 11 bytes, this one 9"
/// - dragino-lht65.poll-reply: "Ext 0x41 marks a reply to a datalog poll: past readings in
///   another layout, not decoded"
Result<DecodedPayload> decode_dragino_lht65(const PayloadInput& uplink);

}  // namespace passerelle::connectors::lorawan
