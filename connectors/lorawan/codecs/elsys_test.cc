// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/elsys.h"

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

TEST_CASE("Elsys: the ERS CO2 example of the device repository", "[elsys]") {
    const auto payload = decoded("elsys", "01 00 E2 02 29 04 00 27 05 06 06 03 08");
    REQUIRE(payload.readings.size() == 5);
    CHECK(number(payload, "temperature") == Approx(22.6));
    CHECK(unit(payload, "temperature") == "Cel");
    CHECK(number(payload, "humidity") == 41);
    CHECK(unit(payload, "humidity") == "%RH");
    CHECK(number(payload, "illuminance") == 39);
    CHECK(number(payload, "motion") == 6);
    CHECK(number(payload, "co2") == 776);
    CHECK(unit(payload, "co2") == "ppm");
    CHECK_FALSE(payload.readings[0].channel.has_value());
}

TEST_CASE("Elsys: every one-number type, in SenML units", "[elsys]") {
    struct Case {
        const char* hex;
        const char* quantity;
        double value;
        const char* unit;
    };
    const Case cases[] = {
        {"01 FF 9C", "temperature", -10.0, "Cel"},
        {"02 32", "humidity", 50, "%RH"},
        {"04 01 00", "illuminance", 256, "lx"},
        {"05 03", "motion", 3, "count"},
        {"06 01 90", "co2", 400, "ppm"},
        {"07 0E 10", "battery", 3.6, "V"},
        {"08 04 D2", "analog_1", 1.234, "V"},
        {"0A 00 0A", "pulse_1", 10, "count"},
        {"0B 00 01 00 00", "pulse_1_total", 65536, "count"},
        {"0C 00 FA", "external_temperature", 25.0, "Cel"},
        {"0D 01", "digital_input", 1, ""},
        {"0E 05 DC", "distance", 1.5, "m"},
        {"0F 07", "acceleration_motion", 7, "count"},
        {"11 02", "occupancy", 2, ""},
        {"12 11", "water_leak", 17, ""},
        {"14 00 0F 4D 88", "pressure", 100288.8, "Pa"},
        {"16 00 02", "pulse_2", 2, "count"},
        {"17 00 00 01 00", "pulse_2_total", 256, "count"},
        {"18 0B B8", "analog_2", 3.0, "V"},
        {"1A 00", "digital_input_2", 0, ""},
        {"1B FF FF FF 9C", "external_analog", -0.0001, "V"},
        {"1C 01 F4", "tvoc", 0.5, "ppm"},
    };
    for (const Case& c : cases) {
        INFO(c.hex);
        const auto payload = decoded("elsys", c.hex);
        REQUIRE(payload.readings.size() == 1);
        CHECK(payload.readings[0].quantity == c.quantity);
        CHECK(std::get<double>(payload.readings[0].value) == Approx(c.value));
        CHECK(payload.readings[0].unit == c.unit);
        CHECK(payload.notes.empty());
    }
}

TEST_CASE("Elsys: acceleration, IR temperature, sound and GPS give several readings", "[elsys]") {
    const auto payload =
        decoded("elsys", "03 01 27 C1 10 00 DC FF F6 15 50 28 09 00 00 10 00 00 20");
    CHECK(number(payload, "acceleration_x") == Approx(9.80665 / 63));
    CHECK(number(payload, "acceleration_y") == Approx(39 * 9.80665 / 63));
    CHECK(number(payload, "acceleration_z") == Approx(-63 * 9.80665 / 63));
    CHECK(unit(payload, "acceleration_z") == "m/s2");
    CHECK(number(payload, "ir_temperature_internal") == Approx(22.0));
    CHECK(number(payload, "ir_temperature_external") == Approx(-1.0));
    CHECK(number(payload, "sound_peak") == 80);
    CHECK(number(payload, "sound_average") == 40);
    CHECK(unit(payload, "sound_average") == "dB");
    CHECK(number(payload, "gps_latitude_raw") == 16);
    CHECK(number(payload, "gps_longitude_raw") == 32);
    REQUIRE(payload.notes.size() == 1);
    CHECK(payload.notes[0].find("device-specific") != std::string::npos);
}

TEST_CASE("Elsys: Grid-EYE gives its reference and 64 pixels", "[elsys]") {
    std::string hex = "13 14";
    for (int pixel = 0; pixel < 64; ++pixel) {
        hex += pixel == 63 ? " 05" : " 00";
    }
    const auto payload = decoded("elsys", hex);
    REQUIRE(payload.readings.size() == 65);
    CHECK(number(payload, "grideye_reference") == 20);
    CHECK(number(payload, "grideye_00") == Approx(20.0));
    CHECK(number(payload, "grideye_63") == Approx(20.5));
}

TEST_CASE("Elsys: several probes on input 2 are channels, and one keeps the plain name",
          "[elsys]") {
    const auto two = decoded("elsys", "19 00 C8 19 FF 38");
    REQUIRE(two.readings.size() == 2);
    CHECK(number(two, "external_temperature_2_1") == Approx(20.0));
    CHECK(number(two, "external_temperature_2_2") == Approx(-20.0));
    CHECK(two.readings[1].channel == 2);
    const auto one = decoded("elsys", "19 00 C8");
    CHECK(number(one, "external_temperature_2") == Approx(20.0));
}

TEST_CASE("Elsys: debug is skipped and settings end the readings, with notes", "[elsys]") {
    const auto payload = decoded("elsys", "01 00 E2 3D 01 02 03 04 02 29 3E 07 01 02 03");
    REQUIRE(payload.readings.size() == 2);
    CHECK(number(payload, "humidity") == 41);
    REQUIRE(payload.notes.size() == 2);
    CHECK(payload.notes[0] == "debug record (type 0x3D) at byte 3 skipped: 01020304");
    CHECK(payload.notes[1] ==
          "sensor settings (type 0x3E) at byte 10: the 5 bytes from there are "
          "configuration, not readings");
}

TEST_CASE("Elsys: a repeated type keeps its last value, as the vendor's decoder", "[elsys]") {
    const auto payload = decoded("elsys", "01 00 E2 02 29 03 01 27 05 0A 11 01 12 11 0A 21 11");
    CHECK(number(payload, "pulse_1") == 8465);
    CHECK(number(payload, "water_leak") == 17);
    REQUIRE(payload.notes.size() == 1);
    CHECK(payload.notes[0].find("'pulse_1' appears more than once") == 0);
}

TEST_CASE("Elsys: errors say where and why", "[elsys]") {
    CHECK(error_of("elsys", "").code == "elsys.empty");
    const Error truncated = error_of("elsys", "02 29 04 00 27 01 00");
    CHECK(truncated.code == "elsys.truncated");
    CHECK(truncated.message ==
          "truncated TLV at byte 5: type 0x01 (temperature) needs 2 bytes, 1 left");
    const Error grideye = error_of("elsys", "13 14 00");
    CHECK(grideye.message ==
          "truncated TLV at byte 0: type 0x13 (Grid-EYE) needs 65 bytes, 2 left");
    const Error unknown = error_of("elsys", "01 00 E2 7F 00");
    CHECK(unknown.code == "elsys.unknown-type");
    CHECK(unknown.message ==
          "unknown type 0x7F at byte 3: its size is unknown, so the records "
          "after it cannot be found");
}

}  // namespace passerelle::connectors::lorawan
