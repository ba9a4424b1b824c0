// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbusmeters/wmbusmeters_json.h"

#include <string>
#include <variant>

#include <catch2/catch.hpp>

namespace passerelle::connectors::wmbusmeters {
namespace {

// The multical21 example as wmbusmeters publishes it on wmbusmeters/<name>.
constexpr const char* kMultical21 =
    R"({"_":"telegram","media":"cold water","meter":"multical21","name":"MyTapWater",)"
    R"("id":"76348799","total_m3":6.408,"target_m3":6.408,"max_flow_m3h":0,)"
    R"("flow_temperature_c":127,"external_temperature_c":19,"current_status":"DRY",)"
    R"("time_dry":"22-31 days","time_reversed":"","timestamp":"2018-02-08T09:07:22Z",)"
    R"("device":"rtlwmbus[1234]","rssi_dbm":-64})";

MeterMessage parsed(const std::string& text) {
    auto message = parse_wmbusmeters_json(text);
    INFO(text);
    if (!message) {
        INFO(message.error().code << ": " << message.error().message);
        REQUIRE(message.has_value());
    }
    return *message;
}

// The one reading of `{"id":"1", <field>: <value>}`.
MeterReading only_reading(const std::string& field, const std::string& value) {
    const MeterMessage message = parsed(R"({"id":"1",")" + field + R"(":)" + value + "}");
    REQUIRE(message.readings.size() == 1);
    return message.readings.front();
}

double number(const MeterReading& reading) {
    REQUIRE(std::holds_alternative<double>(reading.value));
    return std::get<double>(reading.value);
}

Error error_of(const std::string& text) {
    auto message = parse_wmbusmeters_json(text);
    REQUIRE_FALSE(message.has_value());
    return message.error();
}

}  // namespace

TEST_CASE("the identity comes from the metadata fields", "[wmbusmeters]") {
    const MeterMessage message = parsed(kMultical21);
    const MeterIdentity& identity = message.identity;
    CHECK(identity.id == "76348799");
    CHECK(identity.driver == "multical21");
    CHECK(identity.media == "cold water");
    CHECK(identity.name == "MyTapWater");
    CHECK(identity.device == "rtlwmbus[1234]");
    REQUIRE(identity.rssi_dbm);
    CHECK(*identity.rssi_dbm == -64.0);
    REQUIRE(identity.timestamp);
    CHECK(format_utc(*identity.timestamp) == "2018-02-08T09:07:22Z");
    CHECK(message.notes.empty());
}

TEST_CASE("readings keep the message's order, names lose their unit suffix", "[wmbusmeters]") {
    const MeterMessage message = parsed(kMultical21);
    std::vector<std::string> names;
    for (const MeterReading& reading : message.readings) {
        names.push_back(reading.quantity);
    }
    CHECK(names == std::vector<std::string>{"total", "target", "max_flow", "flow_temperature",
                                            "external_temperature", "current_status", "time_dry",
                                            "time_reversed", "rssi"});
    CHECK(message.readings[0].field == "total_m3");
    CHECK(message.readings[0].unit == "m3");
    CHECK(number(message.readings[0]) == 6.408);
    CHECK(message.readings[3].unit == "Cel");
    CHECK(message.readings[5].value == Value(std::string("DRY")));
    CHECK(message.readings[7].value == Value(std::string()));  // empty texts are values too
    CHECK(message.readings[8].unit == "dBm");
    CHECK(number(message.readings[8]) == -64.0);
}

TEST_CASE("the newer 'driver' key names the driver too", "[wmbusmeters]") {
    CHECK(parsed(R"({"id":"1","driver":"amiplus"})").identity.driver == "amiplus");
    CHECK(parsed(R"({"id":"1","meter":"iperl","driver":"x"})").identity.driver == "iperl");
}

TEST_CASE("units SenML has are kept as they are", "[wmbusmeters][units]") {
    const struct {
        const char* field;
        const char* unit;
    } cases[] = {
        {"e_kwh", "kWh"}, {"e_wh", "Wh"},       {"p_kw", "kW"},     {"p_w", "W"},
        {"v_m3", "m3"},   {"v_l", "l"},         {"t_c", "Cel"},     {"t_k", "K"},
        {"u_v", "V"},     {"i_a", "A"},         {"f_hz", "Hz"},     {"x_s", "s"},
        {"x_min", "min"}, {"on_time_h", "h"},   {"rh_rh", "%RH"},   {"b_pct", "%"},
        {"r_dbm", "dBm"}, {"q_kvarh", "kvarh"}, {"q_kvah", "kVAh"}, {"p_pa", "Pa"},
    };
    for (const auto& c : cases) {
        INFO(c.field);
        const MeterReading reading = only_reading(c.field, "12.5");
        CHECK(reading.unit == c.unit);
        CHECK(number(reading) == 12.5);
        CHECK(reading.quantity == std::string(c.field).substr(0, std::string(c.field).rfind('_')));
    }
}

TEST_CASE("units SenML lacks are converted", "[wmbusmeters][units]") {
    const MeterReading flow = only_reading("volume_flow_m3h", "0.018");
    CHECK(flow.quantity == "volume_flow");
    CHECK(flow.unit == "m3/s");
    CHECK(number(flow) == Approx(0.018 / 3600.0));
    const MeterReading litres = only_reading("flow_lh", "36");
    CHECK(litres.unit == "l/s");
    CHECK(number(litres) == Approx(0.01));
    CHECK(number(only_reading("e_mwh", "1.5")) == Approx(1500.0));
    CHECK(only_reading("e_mwh", "1.5").unit == "kWh");
    CHECK(number(only_reading("e_gj", "1")) == Approx(277.7777777778));
    CHECK(only_reading("e_gj", "1").unit == "kWh");
    CHECK(number(only_reading("e_mj", "36")) == Approx(10.0));
    CHECK(number(only_reading("t_f", "212")) == Approx(100.0));
    CHECK(number(only_reading("t_f", "32")) == Approx(0.0).margin(1e-12));
    CHECK(only_reading("t_f", "32").unit == "Cel");
    CHECK(number(only_reading("p_bar", "1.5")) == Approx(150000.0));
    CHECK(only_reading("p_bar", "1.5").unit == "Pa");
    CHECK(number(only_reading("age_d", "2")) == Approx(48.0));
    CHECK(only_reading("age_d", "2").unit == "h");
    const MeterReading counter = only_reading("a_counter", "4711");
    CHECK(counter.quantity == "a");
    CHECK(counter.unit == "count");
    CHECK(only_reading("counter_a_int", "4711").quantity == "counter_a");
}

TEST_CASE("units without a SenML counterpart keep the whole name, with a note",
          "[wmbusmeters][units]") {
    const MeterMessage message = parsed(R"({"id":"1","forward_energy_m3c":299,"current_hca":131})");
    REQUIRE(message.readings.size() == 2);
    CHECK(message.readings[0].quantity == "forward_energy_m3c");
    CHECK(message.readings[0].unit.empty());
    CHECK(number(message.readings[0]) == 299.0);
    CHECK(message.readings[1].quantity == "current_hca");
    REQUIRE(message.notes.size() == 2);
    CHECK(message.notes[0] ==
          "field 'forward_energy_m3c': wmbusmeters unit 'm3c' has no SenML counterpart; kept "
          "whole, without a unit");
}

TEST_CASE("unknown units are kept without a unit and noted, never dropped", "[wmbusmeters]") {
    const MeterMessage message = parsed(R"({"id":"1","flow_temperature":8,"level_qq":3})");
    REQUIRE(message.readings.size() == 2);
    CHECK(message.readings[0].quantity == "flow_temperature");
    CHECK(message.readings[0].unit.empty());
    CHECK(message.readings[1].quantity == "level_qq");
    CHECK(message.notes == std::vector<std::string>{
                               "field 'flow_temperature': unknown unit 'temperature'; kept whole, "
                               "without a unit",
                               "field 'level_qq': unknown unit 'qq'; kept whole, without a unit"});
    const MeterMessage bare = parsed(R"({"id":"1","counter":8})");
    CHECK(bare.notes ==
          std::vector<std::string>{
              "field 'counter': unknown unit (no suffix); kept whole, without a unit"});
}

TEST_CASE("texts and booleans keep their whole field name", "[wmbusmeters]") {
    const MeterMessage message = parsed(
        R"({"id":"1","meter_date":"2022-12-10","floor":"5","leak":true,"current_kw":"0.0"})");
    REQUIRE(message.readings.size() == 4);
    CHECK(message.readings[0].quantity == "meter_date");
    CHECK(message.readings[0].value == Value(std::string("2022-12-10")));
    CHECK(message.readings[1].quantity == "floor");
    CHECK(message.readings[2].value == Value(true));
    CHECK(message.readings[3].quantity == "current_kw");
    CHECK(message.readings[3].value == Value(std::string("0.0")));
    CHECK(message.notes == std::vector<std::string>{
                               "field 'current_kw': text in a field with unit 'kw': kept as text"});
}

TEST_CASE("null and nested values are not readings, and say so", "[wmbusmeters]") {
    const MeterMessage message = parsed(R"({"id":"1","a_m3":null,"b":[1],"c":{"d":1}})");
    CHECK(message.readings.empty());
    CHECK(message.notes == std::vector<std::string>{"field 'a_m3': null, no reading",
                                                    "field 'b': an array is not a reading",
                                                    "field 'c': an object is not a reading"});
}

TEST_CASE("a repeated or unsafe quantity name is made unique and one topic level",
          "[wmbusmeters]") {
    const MeterMessage message = parsed(R"({"id":"1","total_m3":1,"total_l":1000,"a/b_m3":2})");
    REQUIRE(message.readings.size() == 3);
    CHECK(message.readings[0].quantity == "total");
    CHECK(message.readings[1].quantity == "total_l");
    CHECK(message.readings[2].quantity == "a_b");
    CHECK(message.notes ==
          std::vector<std::string>{"field 'total_l': 'total' is taken; named 'total_l'",
                                   "field 'a/b_m3': name made one topic level: 'a_b'"});
}

TEST_CASE("a timestamp that is not an RFC 3339 time leaves the message without one",
          "[wmbusmeters]") {
    for (const char* text : {"1111-11-11T11:11:11Z", "2018-02-30T09:07:22Z", "2018-02-08 09:07:22",
                             "2018-02-08T09:07:22+1:00", "2018-02-08T24:00:00Z", "yesterday",
                             "2018-02-08T09:07:22.Z"}) {
        INFO(text);
        const MeterMessage message =
            parsed(std::string(R"({"id":"1","timestamp":")") + text + R"("})");
        CHECK_FALSE(message.identity.timestamp);
        REQUIRE(message.notes.size() == 1);
        CHECK(message.notes[0] ==
              std::string("'timestamp' \"") + text +
                  "\" is not an RFC 3339 time in years 1970-9999: the message has "
                  "no time");
    }
    const MeterMessage fraction = parsed(R"({"id":"1","timestamp":"2024-03-03T18:37:00.25Z"})");
    REQUIRE(fraction.identity.timestamp);
    CHECK(format_utc(*fraction.identity.timestamp) == "2024-03-03T18:37:00.250Z");
    CHECK(parsed(R"({"id":"1","timestamp":"2024-03-03T18:37:00+00:00"})").identity.timestamp);
    // An offset says which instant it is: local times with their offset are read as such.
    const MeterMessage local = parsed(R"({"id":"1","timestamp":"2024-03-03T19:37:00+01:00"})");
    REQUIRE(local.identity.timestamp);
    CHECK(format_utc(*local.identity.timestamp) == "2024-03-03T18:37:00Z");
}

TEST_CASE("identity fields of the wrong kind are noted and ignored", "[wmbusmeters]") {
    const MeterMessage message = parsed(R"({"id":"1","name":5,"rssi_dbm":"weak"})");
    CHECK(message.identity.name.empty());
    CHECK_FALSE(message.identity.rssi_dbm);
    CHECK(message.readings.empty());
    CHECK(message.notes ==
          std::vector<std::string>{"'name' is a number, not a string: ignored",
                                   "'rssi_dbm' is a string, not a number: ignored"});
}

TEST_CASE("malformed JSON is refused with its byte offset", "[wmbusmeters][errors]") {
    const Error truncated = error_of(R"({"id":"1","total_m3":6.4)");
    CHECK(truncated.code == "wmbusmeters.bad-json");
    CHECK(truncated.message ==
          "malformed JSON at byte 25: syntax error while parsing object - unexpected end of "
          "input; expected '}'");
    const Error empty = error_of("");
    CHECK(empty.code == "wmbusmeters.bad-json");
    CHECK(empty.message.rfind("malformed JSON at byte 1: ", 0) == 0);
    CHECK(error_of(R"({"id":"1",})").message.rfind("malformed JSON at byte 11: ", 0) == 0);
    CHECK(error_of("{\"id\":\"\xff\"}").code == "wmbusmeters.bad-json");  // not UTF-8
}

TEST_CASE("deep nesting is refused before parsing", "[wmbusmeters][errors]") {
    const Error deep = error_of(std::string(9, '[') + std::string(9, ']'));
    CHECK(deep.code == "wmbusmeters.too-deep");
    CHECK(deep.message == "JSON nested deeper than 8 levels");
    // Brackets inside strings are text.
    CHECK(parse_wmbusmeters_json(R"({"id":"1","s":"[[[[[[[[[[[["})"));
}

TEST_CASE("a message must be an object", "[wmbusmeters][errors]") {
    const Error array = error_of(R"([{"id":"1"}])");
    CHECK(array.code == "wmbusmeters.not-object");
    CHECK(array.message == "a wmbusmeters message is a JSON object, this is an array");
    CHECK(error_of("42").message == "a wmbusmeters message is a JSON object, this is a number");
}

TEST_CASE("a message whose '_' is not \"telegram\" is refused", "[wmbusmeters][errors]") {
    const Error alarm = error_of(R"({"_":"alarm","id":"1"})");
    CHECK(alarm.code == "wmbusmeters.not-telegram");
    CHECK(alarm.message == R"('_' is "alarm", not "telegram": not a meter reading)");
    CHECK(error_of(R"({"_":1,"id":"1"})").message ==
          R"('_' is 1, not "telegram": not a meter reading)");
    CHECK(parse_wmbusmeters_json(R"({"id":"1"})"));  // no '_': older releases
}

TEST_CASE("the id is required and must be a non-empty string", "[wmbusmeters][errors]") {
    const Error missing = error_of(R"({"_":"telegram","total_m3":1})");
    CHECK(missing.code == "wmbusmeters.missing-id");
    CHECK(missing.message == "no 'id' field: every wmbusmeters telegram names its meter");
    const Error numeric = error_of(R"({"id":12345678})");
    CHECK(numeric.code == "wmbusmeters.bad-id");
    CHECK(numeric.message == "'id' must be a non-empty string, got a number 12345678");
    CHECK(error_of(R"({"id":""})").message ==
          R"('id' must be a non-empty string, got a string "")");
}

TEST_CASE("readings take the message's time, else the time it was received", "[wmbusmeters]") {
    const Timestamp received = *timestamp_from_epoch_seconds(1700000000.0);
    const auto timed = to_readings(parsed(kMultical21), "ville", "compteur-12", received);
    REQUIRE(timed.size() == 9);
    CHECK(format_utc(timed[0].time) == "2018-02-08T09:07:22Z");
    CHECK(timed[0].provider == "ville");
    CHECK(timed[0].entity == "compteur-12");
    CHECK(timed[0].quantity == "total");
    CHECK(timed[0].unit == "m3");
    const auto untimed = to_readings(parsed(R"({"id":"1","total_m3":1})"), "p", "e", received);
    REQUIRE(untimed.size() == 1);
    CHECK(untimed[0].time == received);
}

TEST_CASE("the SenML pack names the meter and carries the message's time", "[wmbusmeters]") {
    const nlohmann::json pack = senml_pack(parsed(kMultical21), "76348799:");
    REQUIRE(pack.size() == 9);
    CHECK(pack[0] == nlohmann::json::parse(
                         R"({"bn":"76348799:","bt":1518080842.0,"n":"total","u":"m3","v":6.408})"));
    CHECK(pack[5] == nlohmann::json::parse(R"({"n":"current_status","vs":"DRY"})"));
    const nlohmann::json untimed = senml_pack(parsed(R"({"id":"1","ok":true})"), "");
    CHECK(untimed == nlohmann::json::parse(R"([{"n":"ok","vb":true}])"));
}

TEST_CASE("decode output: identity, readings with their fields, notes", "[wmbusmeters]") {
    const nlohmann::json decoded = to_json(parsed(R"({"id":"1","x_m3c":2})"));
    CHECK(decoded["codec"] == "wmbusmeters");
    CHECK(decoded["id"] == "1");
    CHECK(decoded["meter"].is_null());
    CHECK(decoded["timestamp"].is_null());
    CHECK(decoded["readings"] ==
          nlohmann::json::parse(R"([{"field":"x_m3c","n":"x_m3c","v":2.0}])"));
    CHECK(decoded["notes"].size() == 1);
}

TEST_CASE("unit_conversion knows wmbusmeters' units and nothing else", "[wmbusmeters][units]") {
    CHECK(unit_conversion("m3h")->unit == "m3/s");
    CHECK(unit_conversion("hca")->unit.empty());
    CHECK_FALSE(unit_conversion("temperature"));
    CHECK_FALSE(unit_conversion(""));
    CHECK_FALSE(unit_conversion("KWH"));  // wmbusmeters' field names are lower case
}

}  // namespace passerelle::connectors::wmbusmeters
