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
    REQUIRE(territory.lorawan.add({"A84041000181C061", "elsys", "hs-a-101", {}, {}}));
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

// A device whose readings come from ChirpStack's own codec output, `object`.
Territory network_server_territory() {
    Territory territory;
    Entity entity;
    entity.id = "hs-a-102";
    entity.type = "dwelling";
    entity.provider = "habitat-sud";
    REQUIRE(territory.entities.add(std::move(entity)));
    const auto at = [](const char* text) { return *parse_json_pointer(text); };
    std::vector<FieldSpec> fields{{{TextSource::Kind::Constant, "temperature", 0, {}},
                                   at("/sensor/temp"),
                                   "Cel",
                                   std::nullopt,
                                   1.0,
                                   0.0,
                                   false,
                                   {}},
                                  {{TextSource::Kind::Constant, "co2", 0, {}},
                                   at("/co2"),
                                   "ppm",
                                   std::nullopt,
                                   1.0,
                                   0.0,
                                   true,
                                   {}},
                                  {{TextSource::Kind::Constant, "battery", 0, {}},
                                   at("/vdd"),
                                   "V",
                                   std::nullopt,
                                   0.001,
                                   0.0,
                                   false,
                                   {}}};
    REQUIRE(territory.lorawan.add(
        {"a84041000181c062", std::string(kNetworkServerCodec), "hs-a-102", {}, std::move(fields)}));
    return territory;
}

std::string chirpstack_object_up(int f_cnt, const char* object) {
    return fmt::format(
        R"({{"time":"2026-07-14T10:00:00Z","deviceInfo":{{"applicationId":"7d8e",)"
        R"("deviceName":"ers-102","devEui":"a84041000181c062"}},"fCnt":{},"fPort":5,)"
        R"("data":"AQDiAik=",{}"rxInfo":[{{"gatewayId":"g1","rssi":-91,"snr":7.5}}]}})",
        f_cnt, object);
}

TEST_CASE("a network-server device's readings are its fields of the decoded object") {
    const Territory t = network_server_territory();
    DeviceAdapter adapter(t);
    auto report = adapter.adapt(
        kTopic, chirpstack_object_up(1, R"("object":{"sensor":{"temp":21.25},"vdd":3612},)"),
        Timestamp{});
    REQUIRE(report);
    REQUIRE(report->has_value());
    const DeviceReport& r = **report;
    CHECK(r.driver == "network-server");
    CHECK(std::get<double>(find(r, "temperature")->value) == 21.25);
    CHECK(find(r, "temperature")->time == r.time);
    CHECK(std::get<double>(find(r, "battery")->value) == Approx(3.612));
    CHECK(find(r, "co2") == nullptr);  // optional, absent
    CHECK(find(r, "rssi") != nullptr);
}

TEST_CASE(
    "a network-server device's uplink without decoded object or with a bad field is refused") {
    const Territory t = network_server_territory();
    DeviceAdapter adapter(t);
    auto none = adapter.adapt(kTopic, chirpstack_object_up(1, ""), Timestamp{});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "lorawan.no-decoded-object");
    CHECK(none.error().message.rfind("device a84041000181c062 (hs-a-102): codec network-server "
                                     "reads the server's decoded object",
                                     0) == 0);
    auto bad =
        adapter.adapt(kTopic, chirpstack_object_up(2, R"("object":{"sensor":{}},)"), Timestamp{});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "json.missing-field");
    CHECK(bad.error().message ==
          "device a84041000181c062 (hs-a-102): decoded object: no '/sensor/temp': '/sensor' has "
          "no member 'temp'");
}

}  // namespace
}  // namespace passerelle::connectors::lorawan
