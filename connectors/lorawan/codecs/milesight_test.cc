// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/milesight.h"

#include <string>

#include <catch2/catch.hpp>

#include "connectors/lorawan/codecs/codec_test_support.h"

namespace passerelle::connectors::lorawan {
namespace {

using testing::decoded;
using testing::error_of;
using testing::number;
using testing::unit;

}  // namespace

TEST_CASE("Milesight: EM300-TH battery, temperature and humidity", "[milesight]") {
    const auto payload = decoded("milesight", "01 75 5C 03 67 34 01 04 68 65");
    REQUIRE(payload.readings.size() == 3);
    CHECK(number(payload, "battery") == 92);
    CHECK(unit(payload, "battery") == "%EL");
    CHECK(number(payload, "temperature") == Approx(30.8));
    CHECK(unit(payload, "temperature") == "Cel");
    CHECK(number(payload, "humidity") == Approx(50.5));
    CHECK(unit(payload, "humidity") == "%RH");
    CHECK_FALSE(payload.readings[0].channel.has_value());
}

TEST_CASE("Milesight: a negative temperature is little-endian two's complement", "[milesight]") {
    CHECK(number(decoded("milesight", "03 67 9C FF"), "temperature") == Approx(-10.0));
}

TEST_CASE("Milesight: AM100 series records", "[milesight]") {
    const auto payload = decoded(
        "milesight",
        "01 75 5C 03 67 34 01 04 68 65 05 6A 49 00 06 65 1C 00 79 00 14 00 07 7D E7 04 08 7D 07 00 "
        "09 73 3F 27");
    CHECK(number(payload, "activity") == 73);
    CHECK(number(payload, "illuminance") == 28);
    CHECK(unit(payload, "illuminance") == "lx");
    CHECK(number(payload, "infrared_and_visible") == 121);
    CHECK(number(payload, "infrared") == 20);
    CHECK(number(payload, "co2") == 1255);
    CHECK(unit(payload, "co2") == "ppm");
    CHECK(number(payload, "tvoc") == Approx(0.007));
    CHECK(number(payload, "pressure") == Approx(100470.0));
    CHECK(unit(payload, "pressure") == "Pa");
}

TEST_CASE("Milesight: device information is skipped with notes", "[milesight]") {
    const auto payload =
        decoded("milesight",
                "FF 0B FF FF 01 01 FF 16 61 36 C4 04 91 50 00 11 FF 09 01 10 FF 0A 01 14 FF 0F 00 "
                "03 67 34 01");
    REQUIRE(payload.readings.size() == 1);
    CHECK(number(payload, "temperature") == Approx(30.8));
    REQUIRE(payload.notes.size() == 6);
    CHECK(payload.notes[0] == "device information: power-on event ff");
    CHECK(payload.notes[2] == "device information: serial number 6136c40491500011");
}

TEST_CASE("Milesight: history records of every model are noted, not read", "[milesight]") {
    const auto em320 = decoded("milesight", "20 CE 9E 74 46 63 10 01 5D");
    CHECK(em320.readings.empty());
    REQUIRE(em320.notes.size() == 1);
    CHECK(em320.notes[0] ==
          "history record at byte 0 skipped (unix time 1665561758: 27.2 Cel, "
          "46.5 %RH): past readings are not current ones");
    const auto em300 =
        decoded("milesight", "20 CE 9E 74 46 63 10 01 5D 00 20 CE 9E 74 46 63 10 01 5D 00");
    CHECK(em300.notes.size() == 2);
    const auto am103 = decoded("milesight", "20 CE 9E 74 46 63 10 01 5D E7 04");
    REQUIRE(am103.notes.size() == 1);
    CHECK(am103.notes[0].find("1255 ppm") != std::string::npos);
}

TEST_CASE("Milesight: errors say where and why", "[milesight]") {
    CHECK(error_of("milesight", "").code == "milesight.empty");
    const Error truncated = error_of("milesight", "01 75 5C 03 67 34");
    CHECK(truncated.code == "milesight.truncated");
    CHECK(truncated.message ==
          "truncated record at byte 3: channel 0x03 type 0x67 (temperature) "
          "needs 2 bytes, 1 left");
    const Error no_type = error_of("milesight", "01 75 5C 04");
    CHECK(no_type.message == "truncated record at byte 3: channel 0x04 has no type byte");
    const Error unknown = error_of("milesight", "01 75 5C 05 99 00");
    CHECK(unknown.code == "milesight.unknown-record");
    CHECK(unknown.message ==
          "unknown record channel 0x05 type 0x99 at byte 3: its size is "
          "unknown, so the records after it cannot be found");
    const Error history = error_of("milesight", "20 CE 9E 74 46 63 10");
    CHECK(history.code == "milesight.bad-history");
    CHECK(history.message ==
          "history record at byte 0: 5 bytes follow, not one 7-, 8- or 9-byte record");
}

}  // namespace passerelle::connectors::lorawan
