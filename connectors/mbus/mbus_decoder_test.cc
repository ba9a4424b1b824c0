// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/mbus_decoder.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::connectors::mbus {
namespace {

using Bytes = std::vector<std::uint8_t>;

// "The M-Bus: A Documentation" (m-bus.com) example RSP_UD: id 12345678, PAD, water, access 0x55.
const char* const kExample =
    "68 1F 1F 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 "
    "8B 60 04 37 18 02 18 16";

Bytes hex(const char* text) {
    auto bytes = parse_hex(text);
    REQUIRE(bytes.has_value());
    return *bytes;
}

// A long frame around `user_data` (CI included), with L and the checksum computed.
Bytes frame(std::uint8_t a, const Bytes& user_data) {
    Bytes bytes{0x68, 0, 0, 0x68, 0x08, a};
    bytes.reserve(user_data.size() + 8);
    for (const std::uint8_t byte :
         user_data) {  // not insert(): GCC 12 -Warray-bounds false positive
        bytes.push_back(byte);
    }
    const auto length = static_cast<std::uint8_t>(bytes.size() - 4);
    bytes[1] = length;
    bytes[2] = length;
    unsigned sum = 0;
    for (std::size_t i = 4; i < bytes.size(); ++i) {
        sum += bytes[i];
    }
    bytes.push_back(static_cast<std::uint8_t>(sum & 0xFFU));
    bytes.push_back(0x16);
    return bytes;
}

void require_decode_error(const Bytes& bytes, const char* code, const std::string& message) {
    auto telegram = decode_wired_frame(bytes);
    REQUIRE_FALSE(telegram.has_value());
    CHECK(telegram.error().code == code);
    CHECK(telegram.error().message == message);
}

TEST_CASE("the m-bus.com example telegram") {
    auto telegram = decode_wired_frame(hex(kExample));
    REQUIRE(telegram.has_value());
    CHECK(telegram->a == 2);
    CHECK(telegram->ci == 0x72);
    CHECK(telegram->header.id == "12345678");
    CHECK(telegram->header.manufacturer == "PAD");
    CHECK(medium_name(telegram->header.device_type) == "water");
    REQUIRE(telegram->records.size() == 3);
    CHECK(telegram->records[0].offset == 19);
    CHECK(telegram->records[1].offset == 24);
    CHECK(record_names(*telegram) ==
          std::vector<std::string>{"volume", "volume_flow_s5_max", "energy_t2_sub1"});
    CHECK_FALSE(telegram->more_records_follow);
}

TEST_CASE("JSON output of decode") {
    auto telegram = decode_wired_frame(hex(kExample));
    REQUIRE(telegram.has_value());
    const nlohmann::json json = to_json(*telegram);
    CHECK(json["codec"] == "mbus");
    CHECK(json["id"] == "12345678");
    CHECK(json["manufacturer"] == "PAD");
    CHECK(json["version"] == 1);
    CHECK(json["medium"] == "water");
    CHECK(json["access_number"] == 0x55);
    CHECK(json["status"] == 0);
    CHECK(json["address"] == 2);
    REQUIRE(json["records"].size() == 3);
    CHECK(json["records"][0] ==
          nlohmann::json{{"n", "volume"}, {"u", "m3"}, {"v", 12.565}, {"dif_vif", "0313"}});
    CHECK(json["records"][2]["n"] == "energy_t2_sub1");
    CHECK(json["records"][2]["u"] == "Wh");
    CHECK(json["records"][2]["v"] == 218370.0);
    CHECK(json["records"][2]["dif_vif"] == "8B6004");
    CHECK(json["c"] == 0x08);
    CHECK(json["ci"] == 0x72);
}

TEST_CASE("SenML pack of the records that have a value, base name on the first") {
    auto telegram = decode_wired_frame(hex(kExample));
    REQUIRE(telegram.has_value());
    telegram->records[0].value.reset();  // as a record marked "no data"
    const nlohmann::json pack = senml_pack(telegram->records, "12345678:");
    REQUIRE(pack.size() == 2);
    CHECK(pack[0]["bn"] == "12345678:");
    CHECK(pack[0]["n"] == "volume_flow_s5_max");
    CHECK_FALSE(pack[1].contains("bn"));
    CHECK(pack[1] == nlohmann::json{{"n", "energy_t2_sub1"}, {"u", "Wh"}, {"v", 218370.0}});
    CHECK_FALSE(senml_pack(telegram->records, "")[0].contains("bn"));
}

TEST_CASE("short header and no header leave the identity null") {
    auto short_header =
        decode_wired_frame(frame(5, {0x7A, 0x11, 0x00, 0x00, 0x00, 0x03, 0x13, 0x15, 0x31, 0x00}));
    REQUIRE(short_header.has_value());
    const nlohmann::json json = to_json(*short_header);
    CHECK(json["id"].is_null());
    CHECK(json["manufacturer"].is_null());
    CHECK(json["access_number"] == 0x11);
    CHECK(json["address"] == 5);
    CHECK(json["records"][0]["v"] == 12.565);

    auto none = decode_wired_frame(frame(5, {0x78, 0x03, 0x13, 0x15, 0x31, 0x00}));
    REQUIRE(none.has_value());
    CHECK(to_json(*none)["access_number"].is_null());
    CHECK(none->records.size() == 1);
}

TEST_CASE("names: storage, tariff, subunit, function, repeats") {
    DataRecord record;
    record.quantity = "volume";
    CHECK(record_name(record) == "volume");
    record.storage = 1;
    CHECK(record_name(record) == "volume_s1");
    record.tariff = 2;
    record.subunit = 1;
    record.function = Function::Minimum;
    CHECK(record_name(record) == "volume_s1_t2_sub1_min");
    record = DataRecord{};
    record.quantity = "power";
    record.function = Function::Error;
    CHECK(record_name(record) == "power_err");

    DecodedTelegram telegram;
    telegram.records.resize(3);
    telegram.records[0].quantity = "manufacturer_specific";
    telegram.records[1].quantity = "manufacturer_specific";
    telegram.records[2].quantity = "volume";
    CHECK(record_names(telegram) ==
          std::vector<std::string>{"manufacturer_specific", "manufacturer_specific_2", "volume"});
}

TEST_CASE("readings: one per record with a value") {
    auto telegram = decode_wired_frame(frame(
        1, {0x78, 0x03, 0x13, 0x15, 0x31, 0x00, 0x04, 0x6D, 0x00, 0x00, 0xE1, 0xF1, 0x0F, 0xAA}));
    REQUIRE(telegram.has_value());
    const Timestamp time = *timestamp_from_epoch_seconds(1784000000.0);
    const std::vector<Reading> readings = to_readings(*telegram, "eau", "compteur-7", time);
    REQUIRE(readings.size() == 2);  // the date-time is "not set": no reading
    CHECK(readings[0].provider == "eau");
    CHECK(readings[0].entity == "compteur-7");
    CHECK(readings[0].quantity == "volume");
    CHECK(readings[0].unit == "m3");
    CHECK(std::get<double>(readings[0].value) == 12.565);
    CHECK(readings[0].time == time);
    CHECK(readings[1].quantity == "manufacturer_data");
    CHECK(std::get<std::string>(readings[1].value) == "AA");
}

TEST_CASE("more records follow") {
    auto telegram = decode_wired_frame(frame(1, {0x78, 0x03, 0x13, 0x15, 0x31, 0x00, 0x1F}));
    REQUIRE(telegram.has_value());
    CHECK(telegram->more_records_follow);
    CHECK(to_json(*telegram)["records"][1]["more_records_follow"] == true);
}

TEST_CASE("decoder errors carry the byte position in the frame") {
    require_decode_error(Bytes{0xE5}, "mbus.no-data",
                         "frame carries no data: single character E5 (ACK)");
    require_decode_error(Bytes{0x10, 0x5B, 0x01, 0x5C, 0x16}, "mbus.no-data",
                         "frame carries no data: short frame");
    require_decode_error(Bytes{0x68, 0x03, 0x03, 0x68, 0x08, 0x01, 0x72, 0x7B, 0x16},
                         "mbus.no-data", "frame carries no data: control frame");
    require_decode_error(frame(1, {0x51, 0x00}), "mbus.unknown-ci",
                         "unknown CI field 0x51 at byte 6");
    require_decode_error(frame(1, {0x72, 0x01, 0x02}), "mbus.truncated",
                         "truncated long header at byte 7: 12 bytes needed, 2 left");
    require_decode_error(frame(1, {0x72, 0x78, 0x56, 0x34, 0x12, 0x24, 0x40, 0x01, 0x07, 0x55, 0x00,
                                   0x00, 0x00, 0x04, 0x13, 0x15}),
                         "mbus.bad-record",
                         "truncated record at byte 19: data needs 4 bytes, 1 left");
    require_decode_error(frame(1, {0x7A, 0x55, 0x00, 0x00, 0x00, 0x0C, 0x13, 0x15}),
                         "mbus.bad-record",
                         "truncated record at byte 11: data needs 4 bytes, 1 left");
    require_decode_error(frame(1, {0x7A, 0x55, 0x00, 0x50, 0x05, 0x2F, 0x2F}), "mbus.encrypted",
                         "encrypted payload (security mode 5, configuration word 0x0550) is not "
                         "supported for wired M-Bus");
    Bytes bad = hex(kExample);
    bad[35] = 0x19;
    require_decode_error(bad, "mbus.bad-checksum",
                         "bad checksum at byte 35: expected 0x18, got 0x19");
}

TEST_CASE("hex input") {
    CHECK(*parse_hex("68 1f\n1F\t68") == Bytes{0x68, 0x1F, 0x1F, 0x68});
    CHECK(parse_hex("")->empty());
    auto odd = parse_hex("68 1");
    REQUIRE_FALSE(odd.has_value());
    CHECK(odd.error().code == "mbus.bad-hex");
    CHECK(odd.error().message == "odd number of hex digits (3)");
    auto bad = parse_hex("68 zz");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "not a hex digit 'z' at character 3");
    auto binary = parse_hex("6\x01");
    REQUIRE_FALSE(binary.has_value());
    CHECK(binary.error().message == "not a hex digit 0x01 at character 1");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
