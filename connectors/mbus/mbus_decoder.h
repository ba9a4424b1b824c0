// SPDX-License-Identifier: Apache-2.0
// Wired M-Bus telegram decoder: one RSP_UD long frame to the meter's identity and its records.
//
// Supported (EN 13757-2 link layer, EN 13757-3 application layer):
// - long frames 68 L L 68 C A CI data CS 16, with start, length, checksum and stop checks; E5,
// short
//   and control frames are recognised and refused as carrying no data;
// - CI 0x72 (long header: id, manufacturer, version, medium, access number, status, signature),
//   0x7A (short header), 0x78 (none); 0x70/0x71/0x73/0x76/0x77 are refused as unsupported;
// - data records with DIFE chains (storage, tariff, subunit), the four functions, every data
//   coding (integers of 1-8 bytes, real, BCD 2-12 digits and negative BCD, LVAR text/BCD, dates
//   G/F/I), the primary VIF table, the FD and FB extension tables, combinable VIFEs (scaling,
//   forward/backward, limits, pulses, per-time, error codes), plain-text units, manufacturer
//   VIF 7F/FF and DIF 0F/1F (kept as hex), idle fillers.
// Not supported yet: encrypted payloads (security modes 5, 7, 13 in the signature word are
// refused), CI 0x76 (most significant byte first), fixed data structures, the combinable VIFEs that
// differ between editions of EN 13757-3 (0x12-0x14, 0x1D-0x1F, 0x69, 0x6D) and the 0x7C combinable
// extension: reported in the record's note, the name marked `_vife_xx`, the value kept as hex.
//
// Canonical reading names: the record's quantity (with its VIFE suffixes, e.g. volume_backward),
// then `_s<storage>` if the storage number is not 0, `_t<tariff>` if the tariff is not 0,
// `_sub<subunit>` if the subunit is not 0, and `_max`, `_min` or `_err` for the maximum, minimum
// and value-during-error functions. Instantaneous storage 0 tariff 0 subunit 0 is the plain name:
// `volume`, `volume_s1`, `energy_t2_sub1`, `volume_flow_max`. A name that repeats within one
// telegram gets `_2`, `_3`... in order of appearance.
//
// Units are SenML: energy Wh (J, MWh, GJ converted), volume m3, volume flow m3/s (converted from
// m3/h and m3/min), power W (J/h converted), temperatures Cel, temperature difference K, pressure
// Pa (from bar), durations s (from min, h, days), voltage V, current A; mass flow is given in kg/s,
// which the SenML registry lacks.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/mbus/application_layer.h"
#include "connectors/mbus/link_frame.h"
#include "connectors/mbus/transport_header.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::mbus {

struct DecodedTelegram {
    std::uint8_t c = 0;   // link layer control field
    std::uint8_t a = 0;   // primary address
    std::uint8_t ci = 0;  // control information field
    TransportHeader header;
    std::vector<DataRecord> records;
    bool more_records_follow = false;  // DIF 0x1F: request the next telegram (FCB toggled)
};

/// Decodes one wired M-Bus long frame. Errors are those of parse_link_frame, parse_transport_header
/// and parse_records, plus mbus.no-data: "frame carries no data: single character E5 (ACK)" (or
/// short frame, control frame) and mbus.encrypted: "encrypted payload (security mode 5,
/// configuration word 0x0550) is not supported for wired M-Bus" (modes 5, 7, 13).
Result<DecodedTelegram> decode_wired_frame(std::span<const std::uint8_t> frame);

/// The canonical name of one record, without the repeat suffix (see the file comment).
std::string record_name(const DataRecord& record);
/// The canonical names of every record of a telegram, repeats numbered.
std::vector<std::string> record_names(const DecodedTelegram& telegram);
/// The same for records decoded from any frame (the wireless decoder shares the naming).
std::vector<std::string> record_names(std::span<const DataRecord> records);

/// One reading per record that has a value, named by record_names(), for `provider`/`entity` at
/// `time`. Records without a value (no data, date not set, invalid BCD) are not readings; they stay
/// visible in to_json() with their note.
std::vector<Reading> to_readings(const DecodedTelegram& telegram, std::string_view provider,
                                 std::string_view entity, Timestamp time);
/// The same for records decoded from any frame.
std::vector<Reading> to_readings(std::span<const DataRecord> records, std::string_view provider,
                                 std::string_view entity, Timestamp time);

/// The `passerelle decode --codec mbus` output:
/// {"codec":"mbus","id":"12345678","manufacturer":"PAD","version":1,"medium":"water",
///  "access_number":85,"status":0,"signature":0,"address":2,"c":8,"ci":114,
///  "records":[{"n":"volume","u":"m3","v":12.565,"dif_vif":"0313"},...]}. Long-header fields are
/// null for CI 0x7A/0x78; records carry "vs" for text, "note" and "error" when set,
/// "more_records_follow" on a 0x1F record.
nlohmann::json to_json(const DecodedTelegram& telegram);
/// The "records" array of to_json(), for records decoded from any frame.
nlohmann::json records_to_json(std::span<const DataRecord> records);

/// The records that have a value as a SenML pack (RFC 8428), the readings of to_readings():
/// [{"bn":"14839120:","n":"energy","u":"Wh","v":0.0},{"n":"on_time","u":"s","v":32400.0}]. The
/// first record carries `base_name` unless it is empty; no time, the telegram has none.
nlohmann::json senml_pack(std::span<const DataRecord> records, std::string_view base_name);

/// Bytes from hex text; spaces, tabs and newlines are ignored. Errors (mbus.bad-hex):
/// "not a hex digit 'x' at character N", "odd number of hex digits (N)".
Result<std::vector<std::uint8_t>> parse_hex(std::string_view text);

}  // namespace passerelle::connectors::mbus
