// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/radio_readings.h"

#include <catch2/catch.hpp>

#include "connectors/lorawan/envelopes/envelope.h"

namespace passerelle::connectors::lorawan {

TEST_CASE("radio metadata become rssi, snr, fcnt and gateways readings", "[lorawan][radio]") {
    auto up = parse_chirpstack_uplink(
        R"({"time":"2022-07-18T09:34:15.775023242+00:00","deviceInfo":{"devEui":"0101010101010101"},
            "fCnt":42,"rxInfo":[{"rssi":-97,"snr":-3.25},{"rssi":-81,"snr":7.5}]})");
    REQUIRE(up);
    const Timestamp fallback{};
    const auto readings = radio_readings(*up, "bailleur-sud", "capteur-12", fallback);
    REQUIRE(readings.size() == 4);
    CHECK(readings[0].quantity == "rssi");
    CHECK(std::get<double>(readings[0].value) == -81.0);
    CHECK(readings[0].unit == "dBm");
    CHECK(readings[1].quantity == "snr");
    CHECK(std::get<double>(readings[1].value) == 7.5);
    CHECK(readings[1].unit == "dB");
    CHECK(readings[2].quantity == "fcnt");
    CHECK(std::get<double>(readings[2].value) == 42.0);
    CHECK(readings[2].unit == "count");
    CHECK(readings[3].quantity == "gateways");
    CHECK(std::get<double>(readings[3].value) == 2.0);
    for (const Reading& reading : readings) {
        CHECK(reading.provider == "bailleur-sud");
        CHECK(reading.entity == "capteur-12");
        CHECK(format_utc(reading.time) == "2022-07-18T09:34:15.775Z");
    }
}

TEST_CASE("without radio metadata only the counter, at the fallback time", "[lorawan][radio]") {
    Uplink up;
    up.f_cnt = 3;
    const Timestamp fallback = Timestamp(std::chrono::seconds(1700000000));
    const auto readings = radio_readings(up, "p", "e", fallback);
    REQUIRE(readings.size() == 1);
    CHECK(readings[0].quantity == "fcnt");
    CHECK(readings[0].time == fallback);
}

}  // namespace passerelle::connectors::lorawan
