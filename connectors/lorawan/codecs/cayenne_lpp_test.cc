// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/cayenne_lpp.h"

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

TEST_CASE("LPP: two temperatures on two channels are named after their channels", "[lpp]") {
    const auto payload = decoded("lpp", "03 67 01 10 05 67 00 FF");
    REQUIRE(payload.readings.size() == 2);
    CHECK(payload.readings[0].quantity == "temperature_3");
    CHECK(payload.readings[0].channel == 3);
    CHECK(number(payload, "temperature_3") == Approx(27.2));
    CHECK(number(payload, "temperature_5") == Approx(25.5));
    CHECK(unit(payload, "temperature_5") == "Cel");
}

TEST_CASE("LPP: one temperature keeps the plain name and its channel", "[lpp]") {
    const auto payload = decoded("lpp", "01 67 FF D7");
    REQUIRE(payload.readings.size() == 1);
    CHECK(payload.readings[0].quantity == "temperature");
    CHECK(payload.readings[0].channel == 1);
    CHECK(number(payload, "temperature") == Approx(-4.1));
}

TEST_CASE("LPP: every scalar type of the table and its extensions", "[lpp]") {
    struct Case {
        const char* hex;
        const char* quantity;
        double value;
        const char* unit;
    };
    const Case cases[] = {
        {"01 00 01", "digital_input", 1, ""},
        {"01 01 00", "digital_output", 0, ""},
        {"01 02 FF 38", "analog_input", -2.0, ""},
        {"01 03 01 2C", "analog_output", 3.0, ""},
        {"01 64 00 01 00 00", "generic", 65536, ""},
        {"01 65 01 F4", "illuminance", 500, "lx"},
        {"01 66 01", "presence", 1, ""},
        {"01 67 00 E1", "temperature", 22.5, "Cel"},
        {"01 68 61", "humidity", 48.5, "%RH"},
        {"01 73 27 BF", "pressure", 101750, "Pa"},
        {"01 74 01 4A", "voltage", 3.3, "V"},
        {"01 75 04 D2", "current", 1.234, "A"},
        {"01 76 00 00 C3 50", "frequency", 50000, "Hz"},
        {"01 78 5A", "percentage", 90, "%"},
        {"01 79 FF 9C", "altitude", -100, "m"},
        {"01 80 05 DC", "power", 1500, "W"},
        {"01 82 00 00 30 39", "distance", 12.345, "m"},
        {"01 83 00 01 E2 40", "energy", 123.456, "kWh"},
        {"01 84 01 0E", "direction", 270, "deg"},
        {"01 85 65 00 00 00", "unix_time", 1694498816, "s"},
        {"01 8E 01", "switch", 1, ""},
    };
    for (const Case& c : cases) {
        INFO(c.hex);
        const auto payload = decoded("lpp", c.hex);
        REQUIRE(payload.readings.size() == 1);
        CHECK(payload.readings[0].quantity == c.quantity);
        CHECK(std::get<double>(payload.readings[0].value) == Approx(c.value));
        CHECK(payload.readings[0].unit == c.unit);
        CHECK(payload.readings[0].channel == 1);
        CHECK(payload.notes.empty());
    }
}

TEST_CASE("LPP: accelerometer axes in m/s2, gyrometer axes in degrees per second", "[lpp]") {
    const auto acceleration = decoded("lpp", "06 71 04 D2 FB 2E 00 00");
    REQUIRE(acceleration.readings.size() == 3);
    CHECK(number(acceleration, "acceleration_x") == Approx(1.234 * 9.80665));
    CHECK(number(acceleration, "acceleration_y") == Approx(-1.234 * 9.80665));
    CHECK(number(acceleration, "acceleration_z") == 0.0);
    CHECK(unit(acceleration, "acceleration_x") == "m/s2");

    const auto rotation = decoded("lpp", "02 86 00 64 FF 38 01 2C");
    CHECK(number(rotation, "angular_velocity_x") == Approx(1.0));
    CHECK(number(rotation, "angular_velocity_y") == Approx(-2.0));
    CHECK(number(rotation, "angular_velocity_z") == Approx(3.0));
    CHECK(unit(rotation, "angular_velocity_z").empty());
    REQUIRE(rotation.notes.size() == 1);
    CHECK(rotation.notes[0].find("degrees per second") != std::string::npos);
}

TEST_CASE("LPP: GPS gives latitude, longitude and altitude", "[lpp]") {
    const auto payload = decoded("lpp", "01 88 06 76 5F F2 96 0A 00 03 E8");
    CHECK(number(payload, "latitude") == Approx(42.3519));
    CHECK(number(payload, "longitude") == Approx(-87.9094));
    CHECK(number(payload, "altitude") == Approx(10.0));
    CHECK(unit(payload, "latitude") == "lat");
    CHECK(unit(payload, "longitude") == "lon");
}

TEST_CASE("LPP: the same channel and type twice keeps the last value, with a note", "[lpp]") {
    const auto payload = decoded("lpp", "01 67 00 E1 01 67 00 E2");
    REQUIRE(payload.readings.size() == 1);
    CHECK(number(payload, "temperature") == Approx(22.6));
    REQUIRE(payload.notes.size() == 1);
    CHECK(payload.notes[0] ==
          "'temperature' appears more than once in the frame: its last value "
          "is kept");
}

TEST_CASE("LPP: errors say where and why", "[lpp]") {
    CHECK(error_of("lpp", "").code == "lpp.empty");
    const Error truncated = error_of("lpp", "03 67 01 10 05 67 00");
    CHECK(truncated.code == "lpp.truncated");
    CHECK(truncated.message ==
          "truncated record at byte 4: channel 5 type 0x67 (temperature) needs 2 bytes, 1 left");
    const Error no_type = error_of("lpp", "03 67 01 10 05");
    CHECK(no_type.code == "lpp.truncated");
    CHECK(no_type.message == "truncated record at byte 4: channel 5 has no type byte");
    const Error gps = error_of("lpp", "01 88 06 76 5F");
    CHECK(gps.message ==
          "truncated record at byte 0: channel 1 type 0x88 (GPS) needs 9 bytes, 3 left");
    const Error unknown = error_of("lpp", "03 67 01 10 03 7F 00");
    CHECK(unknown.code == "lpp.unknown-type");
    CHECK(unknown.message ==
          "unknown type 0x7F at byte 5 (channel 3): its size is unknown, so the "
          "records after it cannot be found");
}

}  // namespace passerelle::connectors::lorawan
