// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/device_adapter.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace passerelle::connectors::lorawan {
namespace {

constexpr const char* kTopic = "application/7d8e/device/a84041000181c061/event/up";

// An Elsys ERS uplink (22.6 °C, 41 %RH: 01 00E2 02 29) as ChirpStack v4 publishes it.
std::string chirpstack_up(int f_cnt,
                          const char* data = "AQDiAik=", const char* eui = "a84041000181c061") {
    return fmt::format(
        R"({{"deduplicationId":"d","time":"2026-07-14T10:00:00.123456789Z",)"
        R"("deviceInfo":{{"tenantId":"t","applicationId":"7d8e","applicationName":"capteurs",)"
        R"("deviceName":"ers-101","devEui":"{}"}},"fCnt":{},"fPort":5,"data":"{}",)"
        R"("rxInfo":[{{"gatewayId":"g1","rssi":-91,"snr":7.5}},{{"gatewayId":"g2","rssi":-104,"snr":-2}}]}})",
        eui, f_cnt, data);
}

Territory territory() {
    Territory territory;
    Entity entity;
    entity.id = "hs-a-101";
    entity.type = "dwelling";
    entity.provider = "habitat-sud";
    REQUIRE(territory.entities.add(std::move(entity)));
    REQUIRE(territory.lorawan.add({"A84041000181C061", "elsys", "hs-a-101", {}}));
    return territory;
}

const Reading* find(const DeviceReport& report, std::string_view quantity) {
    for (const Reading& reading : report.readings) {
        if (reading.quantity == quantity) {
            return &reading;
        }
    }
    return nullptr;
}

TEST_CASE("an uplink becomes its device's entity's readings, through the device's codec") {
    const Territory t = territory();
    DeviceAdapter adapter(t);
    auto report = adapter.adapt(kTopic, chirpstack_up(7), Timestamp{});
    REQUIRE(report);
    REQUIRE(report->has_value());
    const DeviceReport& r = **report;
    CHECK(r.entity == "hs-a-101");
    CHECK(r.provider == "habitat-sud");
    CHECK(r.protocol == "chirpstack");
    CHECK(r.id == "a84041000181c061");
    CHECK(r.driver == "elsys");
    CHECK(r.rssi_dbm == -91.0);
    CHECK(format_utc(r.time) == "2026-07-14T10:00:00.123Z");
    const Reading* temperature = find(r, "temperature");
    REQUIRE(temperature != nullptr);
    CHECK(std::get<double>(temperature->value) == Approx(22.6));
    CHECK(temperature->unit == "Cel");
    CHECK(temperature->time == r.time);
    REQUIRE(find(r, "humidity") != nullptr);
    CHECK(find(r, "humidity")->unit == "%RH");
    REQUIRE(find(r, "rssi") != nullptr);
    CHECK(std::get<double>(find(r, "fcnt")->value) == 7.0);
}

TEST_CASE("the same uplink heard twice is adapted once") {
    const Territory t = territory();
    DeviceAdapter adapter(t);
    REQUIRE(adapter.adapt(kTopic, chirpstack_up(7), Timestamp{})->has_value());
    auto again = adapter.adapt(kTopic, chirpstack_up(7), Timestamp{});
    REQUIRE(again);
    CHECK_FALSE(again->has_value());
    CHECK(adapter.duplicates() == 1);
    CHECK(adapter.adapt(kTopic, chirpstack_up(8), Timestamp{})->has_value());
}

TEST_CASE("an uplink without payload gives the radio readings alone") {
    const Territory t = territory();
    DeviceAdapter adapter(t);
    auto report = adapter.adapt(kTopic, chirpstack_up(9, ""), Timestamp{});
    REQUIRE(report);
    REQUIRE(report->has_value());
    CHECK(find(**report, "temperature") == nullptr);
    CHECK(find(**report, "rssi") != nullptr);
}

TEST_CASE("unknown devices, bad envelopes and bad payloads are errors") {
    const Territory t = territory();
    DeviceAdapter adapter(t);
    auto unknown =
        adapter.adapt(kTopic, chirpstack_up(1, "AQDiAik=", "0011223344556677"), Timestamp{});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "device.unknown");
    CHECK(unknown.error().message ==
          "unknown LoRaWAN device 0011223344556677 (application 'capteurs'): declare it in the "
          "entity registry with lorawan: {dev_eui: ..., codec: ...} on its entity");
    auto truncated = adapter.adapt(kTopic, chirpstack_up(2, "AQA="), Timestamp{});  // 01 00
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().code == "elsys.truncated");
    CHECK(truncated.error().message.rfind("device a84041000181c061 (hs-a-101): ", 0) == 0);
    auto broken = adapter.adapt(kTopic, "{\"deviceInfo\":", Timestamp{});
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == "lorawan.bad-json");
}

}  // namespace
}  // namespace passerelle::connectors::lorawan
