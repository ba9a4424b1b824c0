// SPDX-License-Identifier: Apache-2.0
// The JSON mapping connector end to end: messages of sensors' own JSON shapes published on a real
// Mosquitto become canonical readings by `passerelle run`; unknown entities and bad fields are
// dead letters, and a LoRaWAN device is read through its network server's decoded object.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.h"

namespace passerelle::testing {
namespace {

using namespace std::chrono_literals;

// The messages are dated July 2026: older than the default limits.max_clock_behind lets through.
const std::string kJsonConnectorConfig = std::string(R"(instance: e2e
stats_interval: 200ms
limits: {max_clock_behind: 3650d}
broker: {url: "tcp://127.0.0.1:1", connect_timeout: 20s}
stakeholders:
  - {id: ville, kind: ville}
  - {id: ccas, kind: ccas}
  - {id: hs, kind: bailleur}
)") + kTestAgreements + R"(entities: entities.yaml
rules: rules/*.yaml
connectors:
  lorawan: {topics: ["v3/+/devices/+/up"]}
  json:
    - topics: [capteurs/+/mesure]
      entity: {topic_segment: 1}
      time: {pointer: /ts, format: unix_s}
      values:
        - {quantity: temperature, pointer: /t, unit: Cel, scale: 0.1}
        - {quantity: humidity, pointer: /h, unit: "%RH", optional: true}
    - topics: [concentrateur/lot]
      entity: {pointer: /device}
      records: /measures
      values:
        - {quantity: {pointer: /kind}, pointer: /v, unit_pointer: /u}
)";

constexpr const char* kEntities = R"(entities:
  - {id: d-1, type: dwelling, provider: hs, attributes: {vulnerable: true}}
  - {id: d-2, type: dwelling, provider: hs}
  - id: d-3
    type: dwelling
    provider: hs
    lorawan:
      dev_eui: 70b3d57ed0001234
      codec: network-server
      fields:
        - {quantity: temperature, pointer: /temperature, unit: Cel}
        - {quantity: battery, pointer: /battery_mv, unit: V, scale: 0.001}
)";

nlohmann::json senml_record(const ReceivedMessage& message) {
    return nlohmann::json::parse(message.payload).at(0);
}

GatewayHarness& started(GatewayHarness& harness) {
    harness.write_file("passerelle.yaml", kJsonConnectorConfig);
    harness.write_file("entities.yaml", kEntities);
    return harness;
}

TEST_CASE("a JSON message on a mapped topic becomes its entity's canonical readings",
          "[connectors][json]") {
    GatewayHarness harness;
    started(harness);
    auto readings = harness.connector_listener();
    harness.start_gateway();
    harness.publish_raw("capteurs/d-1/mesure", R"({"t":287,"h":41.5,"ts":1784030400})");
    const auto temperature = wait_for_topic(*readings, "telemetry/hs/d-1/temperature");
    INFO(harness.gateway_log());
    REQUIRE(temperature.has_value());
    const auto record = senml_record(*temperature);
    CHECK(record.at("v").get<double>() == Approx(28.7));
    CHECK(record.at("u") == "Cel");
    CHECK(record.at("t").get<double>() == 1784030400.0);
    const auto humidity = wait_for_topic(*readings, "telemetry/hs/d-1/humidity");
    REQUIRE(humidity.has_value());
    CHECK(senml_record(*humidity).at("u") == "%RH");
    const auto device = wait_for_topic(*readings, "device/hs/d-1");
    REQUIRE(device.has_value());
    const auto report = nlohmann::json::parse(device->payload);
    CHECK(report.at("protocol") == "json");
    CHECK(report.at("source") == "capteurs/d-1/mesure");
}

TEST_CASE("an array message gives a reading per record, and an unknown entity one dead letter",
          "[connectors][json]") {
    GatewayHarness harness;
    started(harness);
    auto readings = harness.connector_listener();
    harness.start_gateway();
    const std::string batch = R"({"measures":[
        {"device":"d-1","kind":"temperature","v":24.5,"u":"Cel"},
        {"device":"d-2","kind":"temperature","v":26,"u":"Cel"},
        {"device":"d-2","kind":"co2","v":950,"u":"ppm"},
        {"device":"d-9","kind":"temperature","v":20,"u":"Cel"}]})";
    harness.publish_raw("concentrateur/lot", batch);
    harness.publish_raw("concentrateur/lot", batch);  // d-9 again: counted, not reported again
    for (const char* topic :
         {"telemetry/hs/d-1/temperature", "telemetry/hs/d-2/temperature", "telemetry/hs/d-2/co2"}) {
        INFO(topic);
        CHECK(wait_for_topic(*readings, topic).has_value());
    }
    harness.sync();
    INFO(harness.gateway_log());
    std::vector<nlohmann::json> unknown;
    for (const auto& letter : harness.dead_letters()) {
        const auto body = nlohmann::json::parse(letter.payload);
        if (body.at("code") == "device.unknown") {
            unknown.push_back(body);
        }
    }
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].at("topic") == "concentrateur/lot");
    CHECK(unknown[0].at("reason").get<std::string>().rfind(
              "unknown entity 'd-9' (topic 'concentrateur/lot')", 0) == 0);
    const auto stats = harness.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   nlohmann::json::parse(m.payload).value("unknown_devices", 0) == 2;
        },
        10s);
    CHECK(stats.has_value());
}

TEST_CASE("a bad field is a dead letter naming its pointer, the good values still published",
          "[connectors][json]") {
    GatewayHarness harness;
    started(harness);
    auto readings = harness.connector_listener();
    harness.start_gateway();
    harness.publish_raw("concentrateur/lot", R"({"measures":[
        {"device":"d-1","kind":"temperature","v":"chaud","u":"Cel"},
        {"device":"d-2","kind":"temperature","v":22.5,"u":"Cel"}]})");
    const auto good = wait_for_topic(*readings, "telemetry/hs/d-2/temperature");
    INFO(harness.gateway_log());
    REQUIRE(good.has_value());
    CHECK(senml_record(*good).at("v").get<double>() == 22.5);
    harness.sync();
    std::vector<nlohmann::json> bad;
    for (const auto& letter : harness.dead_letters()) {
        const auto body = nlohmann::json::parse(letter.payload);
        if (body.at("code") == "json.bad-field") {
            bad.push_back(body);
        }
    }
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].at("reason") ==
          "topic 'concentrateur/lot', record 0: '/v' must be a number, got a string \"chaud\"");
    for (const auto& message : readings->messages()) {
        CHECK(message.topic != "telemetry/hs/d-1/temperature");
    }
}

TEST_CASE("a LoRaWAN device of codec network-server is read from the decoded object",
          "[connectors][json][lorawan]") {
    GatewayHarness harness;
    started(harness);
    auto readings = harness.connector_listener();
    harness.start_gateway();
    const auto uplink = [&](const std::string& decoded) {
        return fmt::format(
            R"({{"end_device_ids":{{"device_id":"ht-3","application_ids":{{"application_id":"app"}},)"
            R"("dev_eui":"70B3D57ED0001234"}},"received_at":"{0}","uplink_message":{{"f_port":2,)"
            R"("f_cnt":{1},"frm_payload":"AQI=",{2}"rx_metadata":[{{"gateway_ids":{{"gateway_id":"gw"}},)"
            R"("rssi":-80,"snr":9}}],"received_at":"{0}"}}}})",
            harness.time_at(0), decoded.size(), decoded);
    };
    harness.publish_raw("v3/app/devices/ht-3/up",
                        uplink(R"("decoded_payload":{"temperature":"21.5","battery_mv":3012},)"));
    const auto temperature = wait_for_topic(*readings, "telemetry/hs/d-3/temperature");
    INFO(harness.gateway_log());
    REQUIRE(temperature.has_value());
    CHECK(senml_record(*temperature).at("v").get<double>() == 21.5);
    const auto battery = wait_for_topic(*readings, "telemetry/hs/d-3/battery");
    REQUIRE(battery.has_value());
    CHECK(senml_record(*battery).at("v").get<double>() == Approx(3.012));
    CHECK(wait_for_topic(*readings, "telemetry/hs/d-3/rssi").has_value());
    harness.publish_raw("v3/app/devices/ht-3/up", uplink(""));
    harness.sync();
    bool refused = false;
    for (const auto& letter : harness.dead_letters()) {
        refused |= nlohmann::json::parse(letter.payload).at("code") == "lorawan.no-decoded-object";
    }
    CHECK(refused);
}

}  // namespace
}  // namespace passerelle::testing
