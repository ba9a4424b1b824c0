// SPDX-License-Identifier: Apache-2.0
// Constructed records, one per EN 13757-3 coding rule (clause 6, data information block; clause 7,
// value information block; Annex A, data types).
#include "connectors/mbus/application_layer.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::mbus {
namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::size_t kBase = 19;  // records of a CI 0x72 frame start at byte 19

std::vector<DataRecord> parse(const Bytes& bytes) {
    auto records = parse_records(bytes, kBase);
    if (!records) {
        FAIL(records.error().message);
    }
    return *records;
}

DataRecord one(const Bytes& bytes) {
    auto records = parse(bytes);
    REQUIRE(records.size() == 1);
    return records.front();
}

double number(const DataRecord& record) {
    REQUIRE(record.value.has_value());
    REQUIRE(std::holds_alternative<double>(*record.value));
    return std::get<double>(*record.value);
}

std::string text(const DataRecord& record) {
    REQUIRE(record.value.has_value());
    REQUIRE(std::holds_alternative<std::string>(*record.value));
    return std::get<std::string>(*record.value);
}

void require_layer_error(const Bytes& bytes, const std::string& message) {
    auto records = parse_records(bytes, kBase);
    REQUIRE_FALSE(records.has_value());
    CHECK(records.error().code == "mbus.bad-record");
    CHECK(records.error().message == message);
}

TEST_CASE("integer codings of every size, scaled by the VIF") {
    CHECK(number(one({0x01, 0x13, 0xFE})) == Approx(-0.002));                // int8, 1 l
    CHECK(number(one({0x02, 0x5A, 0x27, 0x02})) == Approx(55.1));            // int16, 0.1 Cel
    CHECK(number(one({0x03, 0x13, 0x15, 0x31, 0x00})) == 12.565);            // int24, 1 l
    CHECK(number(one({0x04, 0x06, 0xE7, 0x91, 0x00, 0x00})) == 37351000.0);  // int32, kWh
    CHECK(number(one({0x06, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01})) == 1099511627777.0);
    CHECK(number(one({0x07, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})) == -1.0);
    const DataRecord energy = one({0x04, 0x06, 0xE7, 0x91, 0x00, 0x00});
    CHECK(energy.quantity == "energy");
    CHECK(energy.unit == "Wh");
    CHECK(energy.header_hex == "0406");
    CHECK(energy.offset == kBase);
}

TEST_CASE("real, BCD and negative BCD") {
    CHECK(number(one({0x05, 0x5B, 0x22, 0xF3, 0x26, 0x42})) == 41.737434);  // shortest form
    CHECK(number(one({0x09, 0x5B, 0x42})) == 42.0);
    CHECK(number(one({0x0A, 0x5A, 0x27, 0x02})) == Approx(22.7));
    CHECK(number(one({0x0C, 0x14, 0x92, 0x98, 0x79, 0x00})) == Approx(7998.92));
    CHECK(number(one({0x0E, 0x03, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12})) == 129078563412.0);
    // EN 13757-3: a high nibble F in the last byte makes a BCD number negative.
    const DataRecord power = one({0x0B, 0x2D, 0x02, 0x00, 0xF0});
    CHECK(power.quantity == "power");
    CHECK(number(power) == -200.0);
    CHECK(number(one({0x0B, 0x62, 0x02, 0x00, 0xF0})) == Approx(-0.2));
    const DataRecord invalid = one({0x3C, 0x2B, 0xBD, 0xEB, 0xDD, 0xDD});
    CHECK(invalid.function == Function::Error);
    CHECK(text(invalid) == "BDEBDDDD");
    CHECK(invalid.unit.empty());
    CHECK(invalid.note == "invalid BCD digits");
    const DataRecord nan = one({0x05, 0x2B, 0x00, 0x00, 0xC0, 0x7F});
    CHECK(text(nan) == "0000C07F");
    CHECK(nan.note == "real value is not finite");
}

TEST_CASE("no data and selection for readout") {
    const DataRecord none = one({0x00, 0x13});
    CHECK_FALSE(none.value.has_value());
    CHECK(none.note == "no data");
    const DataRecord selection = one({0x08, 0x13});
    CHECK_FALSE(selection.value.has_value());
    CHECK(selection.note == "selection for readout (no data)");
}

TEST_CASE("storage, tariff, subunit and function from DIF and DIFEs") {
    const DataRecord stored = one({0x44, 0x13, 0x4B, 0x01, 0x00, 0x00});
    CHECK(stored.storage == 1);
    const DataRecord twenty = one({0x82, 0x0A, 0x6C, 0xBF, 0x1C});
    CHECK(twenty.storage == 20);
    const DataRecord tariff = one({0x84, 0x10, 0x06, 0x00, 0x00, 0x00, 0x00});
    CHECK(tariff.tariff == 1);
    CHECK(tariff.storage == 0);
    const DataRecord subunit = one({0x8C, 0x40, 0x13, 0x00, 0x00, 0x00, 0x00});
    CHECK(subunit.subunit == 1);
    // m-bus.com example: DA 02 = maximum, storage 5; 8B 60 = tariff 2, subunit 1.
    const DataRecord maximum = one({0xDA, 0x02, 0x3B, 0x13, 0x01});
    CHECK(maximum.function == Function::Maximum);
    CHECK(maximum.storage == 5);
    CHECK(number(maximum) == Approx(0.113 / 3600));
    const DataRecord tariff2 = one({0x8B, 0x60, 0x04, 0x37, 0x18, 0x02});
    CHECK(tariff2.tariff == 2);
    CHECK(tariff2.subunit == 1);
    CHECK(number(tariff2) == 218370.0);
    CHECK(one({0x24, 0x13, 0, 0, 0, 0}).function == Function::Minimum);
    // Two DIFEs: storage bits 1-4 then 5-8, tariff bits 0-1 then 2-3, subunit bits 0 then 1.
    const DataRecord chained = one({0xC4, 0xF1, 0x52, 0x13, 0, 0, 0, 0});
    CHECK(chained.storage == (1U | (1U << 1) | (2U << 5)));
    CHECK(chained.tariff == (3U | (1U << 2)));
    CHECK(chained.subunit == (1U | (1U << 1)));
}

TEST_CASE("ten DIFEs and ten VIFEs are allowed, eleven are not") {
    Bytes ten{0x84};
    for (int i = 0; i < 9; ++i) {
        ten.push_back(0x80);
    }
    ten.push_back(0x00);
    ten.insert(ten.end(), {0x13, 0, 0, 0, 0});
    CHECK(parse(ten).size() == 1);
    Bytes eleven{0x84};
    for (int i = 0; i < 10; ++i) {
        eleven.push_back(0x80);
    }
    eleven.insert(eleven.end(), {0x00, 0x13, 0, 0, 0, 0});
    require_layer_error(eleven, "too many DIFEs in record at byte 19 (more than 10)");

    Bytes vifes{0x04, 0x93};
    for (int i = 0; i < 9; ++i) {
        vifes.push_back(0xFD);  // x10^3 each
    }
    vifes.insert(vifes.end(), {0x3C, 0x01, 0x00, 0x00, 0x00});
    const DataRecord scaled = one(vifes);
    CHECK(scaled.quantity == "volume_backward");
    CHECK(number(scaled) == Approx(1e24));
    Bytes too_many{0x04, 0x93};
    for (int i = 0; i < 10; ++i) {
        too_many.push_back(0xFD);
    }
    too_many.insert(too_many.end(), {0x3C, 0x01, 0x00, 0x00, 0x00});
    require_layer_error(too_many, "too many VIFEs in record at byte 19 (more than 10)");
}

TEST_CASE("variable length: text, BCD, binary, float") {
    // Siemens WFH21 (libmbus siemens_water.hex): "12HFW" sent reversed.
    const DataRecord model = one({0x0D, 0xFD, 0x0B, 0x05, 0x31, 0x32, 0x48, 0x46, 0x57});
    CHECK(model.quantity == "parameter_set_id");
    CHECK(text(model) == "WFH21");
    CHECK(text(one({0x0D, 0xFD, 0x11, 0x02, 0xE9, 0x41})) == "A\xC3\xA9");  // Latin-1 to UTF-8
    CHECK(number(one({0x0D, 0x13, 0xC2, 0x45, 0x23})) == Approx(2.345));
    CHECK(number(one({0x0D, 0x13, 0xD2, 0x45, 0x23})) == Approx(-2.345));
    const DataRecord binary = one({0x0D, 0x13, 0xE3, 0x01, 0x02, 0x03});
    CHECK(text(binary) == "010203");
    CHECK(binary.note == "variable-length binary kept as hex");
    const DataRecord real = one({0x0D, 0x13, 0xF2, 0x01, 0x02});
    CHECK(text(real) == "0102");
    require_layer_error({0x0D, 0x13, 0xFB}, "reserved LVAR 0xFB in record at byte 19");
    require_layer_error({0x0D, 0x13, 0xCA}, "reserved LVAR 0xCA in record at byte 19");
}

TEST_CASE("dates G, F, I and not-set values") {
    const DataRecord date = one({0x42, 0x6C, 0xBF, 0x1C});
    CHECK(date.quantity == "date");
    CHECK(date.storage == 1);
    CHECK(text(date) == "2013-12-31");
    CHECK(date.unit.empty());
    CHECK(text(one({0x04, 0x6D, 0x0A, 0x0C, 0xCD, 0x13})) == "2014-03-13T12:10");
    CHECK(text(one({0x06, 0x6D, 0x05, 0x0A, 0x0C, 0xCD, 0x13, 0x00})) == "2014-03-13T12:10:05");
    const DataRecord not_set = one({0x04, 0x6D, 0x00, 0x00, 0xE1, 0xF1});
    CHECK_FALSE(not_set.value.has_value());
    CHECK(not_set.note == "date-time not set (0x0000E1F1)");
    const DataRecord invalid = one({0x04, 0x6D, 0x80, 0x00, 0xCD, 0x13});
    CHECK_FALSE(invalid.value.has_value());
    CHECK(invalid.note == "date-time marked invalid (0x8000CD13)");
    const DataRecord odd = one({0x03, 0x6D, 0x01, 0x02, 0x03});
    CHECK(text(odd) == "010203");
    CHECK(odd.note == "date in a 3-byte integer is not defined");
    const DataRecord bcd_date = one({0x0A, 0x6C, 0x01, 0x02});
    CHECK(text(bcd_date) == "0102");
    CHECK(bcd_date.note == "date in a non-integer data field kept as hex");
}

TEST_CASE("identifiers keep their digits") {
    CHECK(text(one({0x0C, 0x78, 0x76, 0x00, 0x05, 0x21})) == "21050076");
    CHECK(text(one({0x04, 0x78, 0x2E, 0x25, 0x4C, 0x00})) == "4990254");
    CHECK(text(one({0x0C, 0xFD, 0x10, 0x76, 0x00, 0x05, 0x21})) == "21050076");
}

TEST_CASE("records of the extension tables FD and FB") {
    const DataRecord access = one({0x01, 0xFD, 0x08, 0x2A});
    CHECK(access.quantity == "access_number");
    CHECK(number(access) == 42.0);
    CHECK(one({0x02, 0xFD, 0x17, 0x00, 0x00}).quantity == "error_flags");
    CHECK(number(one({0x02, 0xFD, 0x48, 0xE6, 0x08})) == Approx(227.8));  // 0.1 V
    CHECK(one({0x02, 0xFD, 0x48, 0xE6, 0x08}).unit == "V");
    CHECK(number(one({0x02, 0xFD, 0x59, 0x10, 0x00})) == Approx(0.016));  // mA
    CHECK(number(one({0x02, 0xFD, 0x74, 0x02, 0x00})) == 172800.0);       // days to s
    const DataRecord mwh = one({0x04, 0xFB, 0x00, 0x0C, 0x00, 0x00, 0x00});
    CHECK(mwh.quantity == "energy");
    CHECK(number(mwh) == 1200000.0);  // 12 x 0.1 MWh
    CHECK(number(one({0x04, 0xFB, 0x09, 0x01, 0x00, 0x00, 0x00})) == Approx(1e9 / 3600));
    CHECK(number(one({0x02, 0xFB, 0x1A, 0x6B, 0x02})) == Approx(61.9));
    const DataRecord unknown = one({0x02, 0xFD, 0x7F, 0x01, 0x02});
    CHECK(unknown.quantity == "vif_fd_7f");
    CHECK(unknown.note == "unknown VIF 0xFD 0x7F");
    CHECK(text(unknown) == "0102");
    const DataRecord bare = one({0x01, 0x7D, 0x01});
    CHECK(bare.quantity == "vif_7d");
    CHECK(bare.note == "unknown VIF 0x7D (extension table without its code)");
}

TEST_CASE("records with combinable VIFEs") {
    CHECK(one({0x04, 0x93, 0x3C, 0x01, 0, 0, 0}).quantity == "volume_backward");
    CHECK(one({0x04, 0x93, 0x3B, 0x01, 0, 0, 0}).quantity == "volume_forward");
    // FD 3A dimensionless x 10^-2 (wmbusmeters' FC..74 pattern in the FD table).
    CHECK(number(one({0x02, 0xFD, 0xBA, 0x74, 0x10, 0x00})) == Approx(0.16));
    CHECK(number(one({0x02, 0x83, 0x7D, 0x02, 0x00})) == 2000.0);
    const DataRecord offset = one({0x02, 0xDB, 0x79, 0x05, 0x00});
    CHECK(offset.quantity == "flow_temperature_additive_correction");
    CHECK(number(offset) == Approx(0.05));
    const DataRecord per_hour = one({0x02, 0x86, 0x22, 0x05, 0x00});
    CHECK(per_hour.quantity == "energy_per_hour");
    CHECK(per_hour.unit.empty());
    CHECK(per_hour.note == "unit Wh_per_hour has no SenML symbol");
    const DataRecord pulse = one({0x04, 0x90, 0x28, 0x08, 0x00, 0x00, 0x00});
    CHECK(pulse.quantity == "volume_per_input_pulse_0");
    CHECK(pulse.unit == "m3");
    CHECK(number(pulse) == Approx(8e-6));
    const DataRecord error = one({0x04, 0x93, 0x15, 0x00, 0x00, 0x00, 0x00});
    CHECK(error.quantity == "volume");
    CHECK(error.error == "VIFE 0x15: no data available (undefined value)");
    const DataRecord duration = one({0x02, 0xBB, 0x5A, 0x03, 0x00});
    CHECK(duration.quantity == "volume_flow_upper_limit_first_exceed_duration");
    CHECK(duration.unit == "s");
    CHECK(number(duration) == 10800.0);
    const DataRecord exceeds = one({0x02, 0xBB, 0x49, 0x03, 0x00});
    CHECK(exceeds.quantity == "volume_flow_upper_limit_exceeds");
    CHECK(number(exceeds) == 3.0);
    const DataRecord when = one({0x04, 0xBB, 0x4A, 0x0A, 0x0C, 0xCD, 0x13});
    CHECK(when.quantity == "volume_flow_upper_limit_first_exceed_begin");
    CHECK(text(when) == "2014-03-13T12:10");
    // Landis+Gyr T230 (libmbus landis+gyr_ultraheat_t230.hex): when the maximum power occurred.
    const DataRecord max_date = one({0x94, 0x10, 0xAD, 0x6F, 0x32, 0x14, 0x7A, 0x18});
    CHECK(max_date.quantity == "power_date_last_end");
    CHECK(max_date.function == Function::Maximum);
    CHECK(text(max_date) == "2011-08-26T20:50");
    CHECK(max_date.unit.empty());
    const DataRecord lasted = one({0x12, 0xAD, 0x66, 0x05, 0x00});
    CHECK(lasted.quantity == "power_duration_last");
    CHECK(number(lasted) == 18000.0);
    CHECK(one({0x04, 0x86, 0x00, 0x01, 0, 0, 0}).error.empty());  // VIFE 0x00: error "none"
    const DataRecord mfct = one({0x04, 0x94, 0xFF, 0x01, 0x14, 0x00, 0x00, 0x00});
    CHECK(mfct.quantity == "volume_manufacturer_specific");
    CHECK(text(mfct) == "14000000");
    CHECK(mfct.unit.empty());
    const DataRecord unknown = one({0x02, 0x93, 0x69, 0x01, 0x00});
    CHECK(unknown.quantity == "volume_vife_69");
    CHECK(unknown.note == "VIFE 0x69 not decoded");
    CHECK(text(unknown) == "0100");
}

TEST_CASE("plain-text unit after the VIFE chain") {
    // libmbus example_plain_text_placement.hex: 03 FC 20 03 'C' 'B' 'A' 15 31 00.
    const DataRecord abc = one({0x03, 0xFC, 0x20, 0x03, 0x43, 0x42, 0x41, 0x15, 0x31, 0x00});
    CHECK(abc.quantity == "plain_text_per_second");
    CHECK(abc.note == "plain-text unit 'ABC'; unit 1_per_second has no SenML symbol");
    CHECK(number(abc) == 12565.0);
    CHECK(abc.header_hex == "03FC2003434241");
    // A plain-text unit that is a SenML unit is used as one: "%RH" sent as "HR%".
    const DataRecord humidity = one({0x02, 0x7C, 0x03, 0x48, 0x52, 0x25, 0x6B, 0x02});
    CHECK(humidity.unit == "%RH");
    CHECK(number(humidity) == 619.0);
}

TEST_CASE("manufacturer-specific data is kept, fillers are skipped") {
    const DataRecord vif = one({0x02, 0x7F, 0x12, 0x34});
    CHECK(vif.quantity == "manufacturer_specific");
    CHECK(text(vif) == "1234");
    const DataRecord chained = one({0x01, 0xFF, 0x93, 0x00, 0x00});
    CHECK(chained.quantity == "manufacturer_specific");
    CHECK(chained.header_hex == "01FF9300");
    CHECK(text(chained) == "00");

    auto records = parse({0x2F, 0x2F, 0x04, 0x13, 0x01, 0x00, 0x00, 0x00, 0x2F, 0x0F, 0x2F, 0x01});
    REQUIRE(records.size() == 2);
    CHECK(records[0].offset == kBase + 2);
    CHECK(records[1].quantity == "manufacturer_data");
    CHECK(text(records[1]) == "2F01");
    CHECK_FALSE(records[1].more_records_follow);
    auto more = parse({0x1F});
    REQUIRE(more.size() == 1);
    CHECK(more[0].more_records_follow);
    CHECK(text(more[0]).empty());
    CHECK(parse({0x2F, 0x2F}).empty());
}

TEST_CASE("unknown VIF codes are reported, not guessed") {
    const DataRecord reserved = one({0x02, 0x6F, 0x01, 0x02});
    CHECK(reserved.quantity == "vif_6f");
    CHECK(reserved.note == "unknown VIF 0x6F");
    CHECK(text(reserved) == "0102");
    const DataRecord any = one({0x01, 0x7E, 0x05});
    CHECK(any.quantity == "any_vif");
    CHECK(text(any) == "05");
    // 0x7B without its extension bit (libmbus sen_pollutherm.hex record 2).
    const DataRecord bare = one({0x0C, 0x7B, 0x02, 0x03, 0x00, 0x00});
    CHECK(bare.quantity == "vif_7b");
    CHECK(text(bare) == "02030000");
}

TEST_CASE("truncated and reserved records name their byte") {
    require_layer_error({0x84}, "truncated record at byte 19: DIFE missing");
    require_layer_error({0x04}, "truncated record at byte 19: VIF missing");
    require_layer_error({0x04, 0x93}, "truncated record at byte 19: VIFE missing");
    require_layer_error({0x04, 0x13, 0x01, 0x02},
                        "truncated record at byte 19: data needs 4 bytes, 2 left");
    require_layer_error({0x01, 0x13, 0x00, 0x04, 0x13, 0x01},
                        "truncated record at byte 22: data needs 4 bytes, 1 left");
    require_layer_error({0x0D, 0x13}, "truncated record at byte 19: LVAR byte missing");
    require_layer_error({0x0D, 0x13, 0x05, 0x41},
                        "truncated record at byte 19: variable-length data needs 5 bytes, 1 left");
    require_layer_error({0x02, 0x7C},
                        "truncated record at byte 19: plain-text unit length missing");
    require_layer_error({0x02, 0x7C, 0x03, 0x48},
                        "truncated record at byte 19: plain-text unit needs 3 bytes, 1 left");
    require_layer_error({0x3F, 0x13}, "reserved DIF 0x3F at byte 19");
    require_layer_error({0x8F, 0x00}, "reserved DIF 0x8F at byte 19");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
