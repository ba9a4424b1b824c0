// SPDX-License-Identifier: Apache-2.0
// wmbusmeters' JSON output (one object per telegram, as its `shell=` hook publishes it on MQTT) to
// the meter's identity and canonical readings, for sites where wmbusmeters already decodes.
//
// Identity: `id` (required), the driver (`meter`, or `driver` in recent releases), `media`,
// `name`, `device` (the receiving dongle), `rssi_dbm`, and `timestamp` (the time wmbusmeters
// received the telegram, "2018-02-08T09:07:22Z"). A `_` field, when present, must be "telegram".
// Its variants `timestamp_ut`, `timestamp_utc` and `timestamp_lt` are metadata too, not readings.
//
// Readings: every other field, in the message's order.
// - A number whose name ends in a wmbusmeters unit with a SenML counterpart drops that suffix:
//   `total_m3` → `total` in m3, `flow_temperature_c` → `flow_temperature` in Cel. The base names
//   are wmbusmeters' driver field names, which its users already know and write rules on; the unit
//   moves to SenML's `u`. Converted where the SenML registry lacks the unit: m3/h → m3/s and l/h →
//   l/s (÷ 3600), MWh, MJ and GJ → kWh, °F → Cel, bar → Pa, days → h. Kept as they are: kWh, Wh,
//   kW, W, m3, l, Cel, K, V, A, Hz, s, min, h, %RH, %, kvarh, kVAh, dBm; counters are `count`.
// - A number whose unit SenML cannot express (hca, m3c, m3ch, nr, factor, month, y, ut...) keeps
//   its whole field name (`current_hca`, `forward_energy_m3c`) and no unit, so the name still says
//   the unit; a note says so. An unknown suffix, or none, does the same with an "unknown unit"
//   note: nothing is dropped silently.
// - A string (`status`, `current_status`, `meter_date`, static `field_xxx=` values) is a `vs`
//   reading and a boolean a `vb` one, both under their whole field name. `rssi_dbm` is also the
//   reading `rssi` in dBm, for signal-strength rules.
// - null is no reading (with a note); nested arrays and objects are not readings (with a note).
// A quantity is made one topic level (as_topic_level), and one that repeats within a message gets
// the whole field name; both with a note.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::wmbusmeters {

struct MeterIdentity {
    std::string id;      // "76348799"; wired meters polled by primary address: "p0"
    std::string driver;  // "multical21"; empty when absent (as for every string below)
    std::string media;   // "cold water"
    std::string name;    // the meter's name in wmbusmeters' configuration: "MyTapWater"
    std::string device;  // the receiver: "rtlwmbus[1234]", "im871a[00102759]"
    std::optional<double> rssi_dbm;
    /// When wmbusmeters received the telegram; absent when missing or not a UTC ISO-8601 time in
    /// years 1970-9999 (its tests print "1111-11-11T11:11:11Z").
    std::optional<Timestamp> timestamp;
};

struct MeterReading {
    std::string field;     // the wmbusmeters field: "max_flow_m3h"
    std::string quantity;  // the canonical name: "max_flow"
    Value value = 0.0;
    std::string unit;  // SenML ("m3/s"), empty when none
};

struct MeterMessage {
    MeterIdentity identity;
    std::vector<MeterReading> readings;
    /// What was kept differently or not kept, one sentence each: "field 'forward_energy_m3c':
    /// wmbusmeters unit 'm3c' has no SenML counterpart; kept whole, without a unit".
    std::vector<std::string> notes;
};

/// How one wmbusmeters unit suffix becomes SenML: value × multiply ÷ divide + offset.
struct UnitConversion {
    std::string_view suffix;  // "m3h"
    std::string_view unit;    // "m3/s"; empty: SenML has no counterpart
    double multiply = 1.0;
    double divide = 1.0;
    double offset = 0.0;
};

/// The conversion of a unit suffix ("kwh", "m3h", "c"), or nothing for a suffix that is no unit.
std::optional<UnitConversion> unit_conversion(std::string_view suffix);

/// Parses one wmbusmeters JSON message (the caller bounds its size). Errors:
/// - wmbusmeters.bad-json: "malformed JSON at byte 12: syntax error while parsing object - ..."
/// - wmbusmeters.too-deep: "JSON nested deeper than 8 levels"
/// - wmbusmeters.not-object: "a wmbusmeters message is a JSON object, this is an array"
/// - wmbusmeters.not-telegram: "'_' is \"alarm\", not \"telegram\": not a meter reading"
/// - wmbusmeters.missing-id: "no 'id' field: every wmbusmeters telegram names its meter"
/// - wmbusmeters.bad-id: "'id' must be a non-empty string, got number 12345678"
Result<MeterMessage> parse_wmbusmeters_json(std::string_view text);

/// The readings for `provider`/`entity`, at the message's timestamp or else at `received`.
std::vector<Reading> to_readings(const MeterMessage& message, std::string_view provider,
                                 std::string_view entity, Timestamp received);

/// The `passerelle decode --codec wmbusmeters` output:
/// {"codec":"wmbusmeters","id":"76348799","meter":"multical21","media":"cold water",
///  "name":"MyTapWater","device":"rtlwmbus[1234]","rssi_dbm":-64,"timestamp":"2018-02-08T09:07:22Z",
///  "readings":[{"field":"total_m3","n":"total","u":"m3","v":6.408},...],"notes":[...]}.
/// Absent identity fields are null.
nlohmann::json to_json(const MeterMessage& message);

/// The readings as a SenML pack (RFC 8428): [{"bn":"76348799:","bt":1518080842,"n":"total",
/// "u":"m3","v":6.408},...]; `bn` unless `base_name` is empty, `bt` when the message has a time.
nlohmann::json senml_pack(const MeterMessage& message, std::string_view base_name);

}  // namespace passerelle::connectors::wmbusmeters
