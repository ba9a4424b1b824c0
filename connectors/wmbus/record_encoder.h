// SPDX-License-Identifier: Apache-2.0
// EN 13757-3 data records built from typed values, for simulated meters and tests: each quantity
// has one fixed DIF/VIF encoding, the one common in OMS water and heat meters.
//
// | quantity            | input unit | DIF (data field)  | VIF (resolution)     | decoded as | |
// ------------------- | ---------- | ----------------- | -------------------- | ------------------
// | | Volume              | m3         | 04 (int32)        | 13 (1 l)             | volume m3 | |
// VolumeFlow          | m3/h       | 02 (int16)        | 3B (1 l/h)           | volume_flow m3/s |
// | Energy              | kWh        | 04 (int32)        | 06 (1 kWh)           | energy Wh | |
// Power               | W          | 04 (int32)        | 2B (1 W)             | power W | |
// FlowTemperature     | Cel        | 02 (int16)        | 59 (0.01 Cel)        | flow_temperature |
// | ReturnTemperature   | Cel        | 02 (int16)        | 5D (0.01 Cel)        |
// return_temperature | | DateTime            | epoch s    | 04 (int32)        | 6D (type F, 1 min)
// | date_time (text)   | | ErrorFlags          | bit field  | 04 (int32)        | FD 17 |
// error_flags        |
//
// Values are rounded to the resolution (to the nearest step; date-times are truncated to the
// minute, as a meter's clock shows it). Storage, tariff and subunit go into the DIF's storage bit
// and DIFEs. Functions other than instantaneous, BCD and real codings are not produced.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::wmbus {

enum class Quantity : std::uint8_t {
    Volume,
    VolumeFlow,
    Energy,
    Power,
    FlowTemperature,
    ReturnTemperature,
    DateTime,
    ErrorFlags,
};

/// One record to encode. `value` is in the input unit of the table above; for DateTime, seconds
/// since the Unix epoch (written as the UTC calendar time), for ErrorFlags the flags as a number.
struct RecordSpec {
    Quantity quantity = Quantity::Volume;
    double value = 0.0;
    std::uint32_t storage = 0;  // 0: the current value; 1, 2...: stored (e.g. at the due date)
    std::uint32_t tariff = 0;
    std::uint32_t subunit = 0;
};

RecordSpec volume_m3(double m3);
RecordSpec volume_flow_m3h(double m3_per_hour);
RecordSpec energy_kwh(double kwh);
RecordSpec power_w(double watts);
RecordSpec flow_temperature_c(double celsius);
RecordSpec return_temperature_c(double celsius);
RecordSpec date_time(Timestamp time);
RecordSpec error_flags(std::uint32_t flags);

/// The bytes of one record: DIF, DIFEs, VIF(s), data. Errors (wmbus.out-of-range):
/// - "volume -1 m3 is out of range: DIF 04 VIF 13 holds 0 to 2147483.647 m3" (same for every
///   numeric quantity; not-a-number and infinite values too)
/// - "date_time 2100-01-01T00:00 is out of range: type F holds 2000-01-01 to 2080-12-31 here"
/// - "storage 0, tariff 1048576, subunit 0 need more than 10 DIFEs"
Result<std::vector<std::uint8_t>> encode_record(const RecordSpec& record);

/// The records one after the other; the first error stops the encoding.
Result<std::vector<std::uint8_t>> encode_records(std::span<const RecordSpec> records);

}  // namespace passerelle::connectors::wmbus
