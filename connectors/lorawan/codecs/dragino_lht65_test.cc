// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/dragino_lht65.h"

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

TEST_CASE("LHT65: the manual's example with a DS18B20 probe", "[dragino-lht65]") {
    const auto payload = decoded("dragino-lht65", "CB F6 0B 0D 03 76 01 0A DD 7F FF", 2);
    REQUIRE(payload.readings.size() == 5);
    CHECK(number(payload, "battery") == Approx(3.062));
    CHECK(unit(payload, "battery") == "V");
    CHECK(number(payload, "battery_status") == 3);
    CHECK(number(payload, "temperature") == Approx(28.29));
    CHECK(number(payload, "humidity") == Approx(88.6));
    CHECK(unit(payload, "humidity") == "%RH");
    CHECK(number(payload, "external_temperature") == Approx(27.81));
    CHECK(payload.notes.empty());
}

TEST_CASE("LHT65: the fPort is optional, the SHT temperature may be negative", "[dragino-lht65]") {
    const auto payload = decoded("dragino-lht65", "8B F6 FC 18 01 F4 00 7F FF 7F FF");
    CHECK(number(payload, "temperature") == Approx(-10.0));
    CHECK(number(payload, "humidity") == Approx(50.0));
    CHECK(number(payload, "battery_status") == 2);
    CHECK(payload.readings.size() == 4);
}

TEST_CASE("LHT65: every external sensor type", "[dragino-lht65]") {
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 04 01 00 00 00"), "interrupt_level") ==
          1);
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 04 01 00 00 00"), "interrupt") == 0);
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 05 01 F4 00 00"), "illuminance") ==
          500);
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 06 0C E4 00 00"), "adc_voltage") ==
          Approx(3.3));
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 07 01 00 00 00"), "count") == 256);
    CHECK(number(decoded("dragino-lht65", "CB F6 0B 0D 03 76 08 00 01 00 00"), "count") == 65536);

    const auto timed = decoded("dragino-lht65", "0A DD 0B 0D C3 76 09 65 00 00 00");
    CHECK(number(timed, "external_temperature") == Approx(27.81));
    CHECK(number(timed, "battery_status") == 3);
    CHECK(number(timed, "temperature") == Approx(28.29));
    CHECK(number(timed, "humidity") == Approx(88.6));
    REQUIRE(timed.notes.size() == 1);
    CHECK(timed.notes[0] ==
          "the probe's reading carries the device time 1694498816 (unix seconds)");

    const auto id = decoded("dragino-lht65", "CB F6 28 FF 8A 1B 0F 01 00 00 5C");
    CHECK(id.readings.size() == 2);  // battery only
    REQUIRE(id.notes.size() == 1);
    CHECK(id.notes[0] == "the external probe's id is 28ff8a1b0100005c");

    const auto unknown = decoded("dragino-lht65", "CB F6 0B 0D 03 76 0C 00 00 00 00");
    REQUIRE(unknown.notes.size() == 1);
    CHECK(unknown.notes[0] == "external sensor type 12 is unknown: bytes 7-10 are not decoded");
}

TEST_CASE("LHT65: a disconnected probe gives no external temperature", "[dragino-lht65]") {
    const auto payload = decoded("dragino-lht65", "CB F6 0B 0D 03 76 81 7F FF 7F FF");
    CHECK(payload.readings.size() == 4);
    REQUIRE(payload.notes.size() == 1);
    CHECK(payload.notes[0].find("not connected") != std::string::npos);
}

TEST_CASE("LHT65: errors say why", "[dragino-lht65]") {
    const Error port = error_of("dragino-lht65", "CB F6 0B 0D 03 76 01 0A DD 7F FF", 42);
    CHECK(port.code == "dragino-lht65.bad-fport");
    CHECK(port.message == "LHT65 readings come on fPort 2, not 42");
    const Error length = error_of("dragino-lht65", "CB F6 0B 0D 03 76 01 0A DD");
    CHECK(length.code == "dragino-lht65.bad-length");
    CHECK(length.message == "an LHT65 uplink has 11 bytes, this one 9");
    CHECK(error_of("dragino-lht65", "").code == "dragino-lht65.bad-length");
    const Error poll = error_of("dragino-lht65", "CB F6 0B 0D 03 76 41 0A DD 7F FF");
    CHECK(poll.code == "dragino-lht65.poll-reply");
    CHECK(poll.message ==
          "Ext 0x41 marks a reply to a datalog poll: past readings in another "
          "layout, not decoded");
}

}  // namespace passerelle::connectors::lorawan
