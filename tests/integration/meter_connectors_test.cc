// SPDX-License-Identifier: Apache-2.0
// The field connectors end to end: radio telegrams, wmbusmeters' JSON and LoRaWAN uplinks
// published on a real Mosquitto, a wired meter and a Modbus substation polled over TCP, all
// published as canonical readings by `passerelle run`; unknown devices and bad messages are dead
// letters.
#include <cstdint>
#include <ctime>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/mbus/mbus_decoder.h"
#include "tests/integration/gateway_harness.h"
#include "tests/support/golden_files.h"
#include "tests/support/mbus_golden.h"
#include "tests/support/mbus_slave.h"
#include "tests/support/modbus_server.h"

namespace passerelle::testing {
namespace {

using namespace std::chrono_literals;

// wmbusmeters' public test telegram of a Kamstrup Multical 21 (ELL AES-CTR) and its key.
constexpr const char* kKamstrup =
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
constexpr const char* kKamstrupKey = "28F64A24988064A079AA2C807D6102AE";

const std::string kMeterConfig = std::string(R"(instance: e2e
stats_interval: 200ms
broker: {url: "tcp://127.0.0.1:1", connect_timeout: 20s}
stakeholders:
  - {id: ville, kind: ville}
  - {id: ccas, kind: ccas}
  - {id: hs, kind: bailleur}
  - {id: eau, kind: eau}
  - {id: chaleur, kind: dsp-chaleur}
)") + kTestAgreements + R"(entities: entities.yaml
rules: rules/*.yaml
connectors:
  wmbus: {topics: [wmbus/+/telegram]}
  wmbusmeters: {topics: [wmbusmeters/+]}
  lorawan: {topics: ["application/+/device/+/event/up"]}
)";

std::string entities(const std::string& extra = "") {
    return fmt::format(R"(entities:
  - {{id: d-1, type: dwelling, provider: hs, attributes: {{vulnerable: true}},
     lorawan: {{dev_eui: a84041000181c061, codec: elsys}}}}
  - {{id: cpt-a, type: water-meter, provider: eau, meter: {{id: "76348799", key: {}}}}}
  - {{id: cpt-b, type: water-meter, provider: eau, meter: {{id: "33225544"}}}}
  - {{id: cpt-chaleur, type: heat-meter, provider: chaleur, meter: {{id: "06855817", manufacturer: KAM}}}}
{})",
                       kKamstrupKey, extra);
}

double senml_value(const ReceivedMessage& message) {
    const auto pack = nlohmann::json::parse(message.payload);
    return pack.at(0).at("v").get<double>();
}

TEST_CASE("a radio telegram on the receiver's topic becomes the meter's canonical readings",
          "[connectors]") {
    GatewayHarness harness;
    harness.write_file("passerelle.yaml", kMeterConfig);
    harness.write_file("entities.yaml", entities());
    auto readings = harness.connector_listener();
    harness.start_gateway();
    harness.publish_raw("wmbus/rx1/telegram",
                        fmt::format(R"({{"telegram":"{}","time":"{}","rssi_dbm":-77}})", kKamstrup,
                                    harness.time_at(0)));
    const auto volume = wait_for_topic(*readings, "telemetry/eau/cpt-a/volume");
    INFO(harness.gateway_log());
    REQUIRE(volume.has_value());
    CHECK(senml_value(*volume) == Approx(6.408));
    const auto pack = nlohmann::json::parse(volume->payload);
    CHECK(pack.at(0).at("u") == "m3");
    CHECK(format_utc(*timestamp_from_epoch_seconds(pack.at(0).at("t").get<double>())) ==
          harness.time_at(0));
    const auto device = wait_for_topic(*readings, "device/eau/cpt-a");
    REQUIRE(device.has_value());
    // Retained: whoever subscribes later learns the meter's last identity.
    auto late = TestClient::connect(harness.broker().url());
    REQUIRE(late.has_value());
    REQUIRE((*late)->subscribe("device/eau/cpt-a").has_value());
    const auto kept = wait_for_topic(**late, "device/eau/cpt-a");
    REQUIRE(kept.has_value());
    CHECK(kept->retained);
    const auto report = nlohmann::json::parse(device->payload);
    CHECK(report.at("protocol") == "wmbus");
    CHECK(report.at("id") == "76348799");
    CHECK(report.at("manufacturer") == "KAM");
    CHECK(report.at("medium") == "cold_water");
    CHECK(report.at("rssi_dbm") == -77);
    CHECK(report.at("source") == "wmbus/rx1/telegram");
    // The key is in no message and no log line.
    CHECK(harness.gateway_log().find(kKamstrupKey) == std::string::npos);
    for (const auto& message : readings->messages()) {
        CHECK(message.payload.find(kKamstrupKey) == std::string::npos);
    }
}

TEST_CASE("an unknown meter is a dead letter once, then counted, and a bad telegram a dead letter",
          "[connectors]") {
    GatewayHarness harness;
    harness.write_file("passerelle.yaml", kMeterConfig);
    // The registry lacks 77777777; cpt-a is declared without its key.
    harness.write_file("entities.yaml",
                       "entities:\n  - {id: d-1, type: dwelling, provider: hs, attributes: "
                       "{vulnerable: true}}\n  - {id: cpt-a, type: water-meter, provider: eau, "
                       "meter: {id: \"76348799\"}}\n");
    harness.start_gateway();
    const std::string neighbour =
        "AE44EE4D777777773C077A4400A025E78F4A01F9DCA029EDA03BA452686E8FA917507B29E5358B52D77C111E"
        "A4C41140290523F3F6B9F9261705E041C0CA41305004605F42D6C9464E5A04EEE227510BD0DC0983C665C3A5"
        "E4739C2082975476AC637BCDD39766AEF030502B6A7697BE9E1C49AF535C15470FCF8ADA36CAB9D0B2A1A869"
        "0F8DDCF70859F18B3414D8315B311A0AFA57325531587CB7E9CC110E807F24C190D7E635BEDAF4CAE8A161";
    for (int i = 0; i < 3; ++i) {
        harness.publish_raw("wmbus/rx1/telegram", neighbour);
    }
    harness.publish_raw("wmbus/rx1/telegram", kKamstrup);     // declared, but no key
    harness.publish_raw("wmbus/rx1/telegram", "2A442D2C99");  // truncated
    harness.sync();
    const auto letters = harness.dead_letters();
    std::vector<std::string> codes;
    for (const auto& letter : letters) {
        codes.push_back(nlohmann::json::parse(letter.payload).at("code"));
    }
    INFO(harness.gateway_log());
    CHECK(std::count(codes.begin(), codes.end(), "meter.unknown") == 1);
    CHECK(std::count(codes.begin(), codes.end(), "wmbus.no-key") == 1);
    CHECK(std::count(codes.begin(), codes.end(), "wmbus.truncated") == 1);
    const auto stats = harness.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   nlohmann::json::parse(m.payload).value("unknown_devices", 0) == 3;
        },
        10s);
    CHECK(stats.has_value());
}

TEST_CASE("wmbusmeters' JSON becomes the meter's canonical readings", "[connectors]") {
    GatewayHarness harness;
    harness.write_file("passerelle.yaml", kMeterConfig);
    harness.write_file("entities.yaml", entities());
    auto readings = harness.connector_listener();
    harness.start_gateway();
    harness.publish_raw("wmbusmeters/Cuisine",
                        fmt::format(R"({{"_":"telegram","meter":"iperl","id":"33225544",)"
                                    R"("total_m3":123.529,"max_flow_m3h":0.36,"timestamp":"{}"}})",
                                    harness.time_at(5)));
    const auto total = wait_for_topic(*readings, "telemetry/eau/cpt-b/total");
    INFO(harness.gateway_log());
    REQUIRE(total.has_value());
    CHECK(senml_value(*total) == Approx(123.529));
    const auto flow = wait_for_topic(*readings, "telemetry/eau/cpt-b/max_flow");
    REQUIRE(flow.has_value());
    CHECK(senml_value(*flow) == Approx(0.0001));  // 0.36 m3/h in m3/s
    const auto device = wait_for_topic(*readings, "device/eau/cpt-b");
    REQUIRE(device.has_value());
    CHECK(nlohmann::json::parse(device->payload).at("driver") == "iperl");
}

TEST_CASE("a wired heat meter behind a serial-to-TCP server is polled and published",
          "[connectors]") {
    auto slave = MbusSlave::start();
    REQUIRE(slave.has_value());
    (*slave)->add_meter(1, {golden_mbus_frame("kamstrup-multical-601")});
    GatewayHarness harness;
    harness.write_file(
        "passerelle.yaml",
        std::string(kMeterConfig) +
            fmt::format("  mbus_tcp:\n    - {{endpoint: \"127.0.0.1:{}\", addresses: [1, 7], "
                        "interval: 1h, timeout: 200ms, attempts: 2}}\n",
                        (*slave)->port()));
    harness.write_file("entities.yaml", entities());
    auto readings = harness.connector_listener();
    harness.start_gateway();
    const auto energy = wait_for_topic(*readings, "telemetry/chaleur/cpt-chaleur/energy");
    INFO(harness.gateway_log());
    REQUIRE(energy.has_value());
    CHECK(senml_value(*energy) == 37351000.0);
    const auto device = wait_for_topic(*readings, "device/chaleur/cpt-chaleur");
    REQUIRE(device.has_value());
    const auto report = nlohmann::json::parse(device->payload);
    CHECK(report.at("protocol") == "mbus");
    CHECK(report.at("source") == fmt::format("mbus://127.0.0.1:{}/1", (*slave)->port()));
    // Address 7 has no meter: said once in the log, counted, and the gateway goes on.
    const auto stats = harness.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   nlohmann::json::parse(m.payload).value("poll_failures", 0) == 1;
        },
        10s);
    CHECK(stats.has_value());
    CHECK(harness.gateway_log().find(fmt::format("mbus://127.0.0.1:{}/7: no answer from primary "
                                                 "address 7",
                                                 (*slave)->port())) != std::string::npos);
    CHECK(harness.stop_gateway().success());
}

TEST_CASE(
    "a ChirpStack uplink becomes the dwelling's readings once, however many gateways heard it",
    "[connectors]") {
    GatewayHarness harness;
    harness.write_file("passerelle.yaml", kMeterConfig);
    harness.write_file("entities.yaml", entities());
    auto readings = harness.connector_listener();
    harness.start_gateway();
    // An Elsys ERS: 29.4 °C, 41 %RH (01 0126 02 29).
    const std::string uplink = fmt::format(
        R"({{"time":"{}","deviceInfo":{{"applicationId":"a1","applicationName":"capteurs",)"
        R"("deviceName":"ers","devEui":"a84041000181c061"}},"fCnt":12,"fPort":5,)"
        R"("data":"AQEmAik=","rxInfo":[{{"gatewayId":"g1","rssi":-97,"snr":3.5}}]}})",
        harness.time_at(0));
    const std::string topic = "application/a1/device/a84041000181c061/event/up";
    harness.publish_raw(topic, uplink);
    harness.publish_raw(topic, uplink);  // a second path
    const auto temperature = wait_for_topic(*readings, "telemetry/hs/d-1/temperature");
    INFO(harness.gateway_log());
    REQUIRE(temperature.has_value());
    CHECK(senml_value(*temperature) == Approx(29.4));
    const auto rssi = wait_for_topic(*readings, "telemetry/hs/d-1/rssi");
    REQUIRE(rssi.has_value());
    CHECK(senml_value(*rssi) == -97.0);
    const auto stats = harness.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   nlohmann::json::parse(m.payload).value("duplicate_uplinks", 0) == 1;
        },
        10s);
    CHECK(stats.has_value());
    std::size_t temperatures = 0;
    for (const auto& message : readings->messages()) {
        temperatures += message.topic == "telemetry/hs/d-1/temperature" ? 1 : 0;
    }
    CHECK(temperatures == 1);
    // A broken envelope is a dead letter with its reason.
    harness.publish_raw(topic, "{\"deviceInfo\":");
    harness.sync();
    bool bad_json = false;
    for (const auto& letter : harness.dead_letters()) {
        bad_json =
            bad_json || nlohmann::json::parse(letter.payload).at("code") == "lorawan.bad-json";
    }
    CHECK(bad_json);
}

TEST_CASE("a substation's Modbus registers are polled and published as its readings",
          "[connectors]") {
    auto server = ModbusServer::start();
    REQUIRE(server.has_value());
    (*server)->set_input(1, {0xFFDD, 852, 487, 620, 453});  // -3.5, 85.2, 48.7, 62.0, 45.3 °C
    (*server)->set_input(10, {375});                        // valve 37.5 %
    (*server)->set_holding(100, {0xD687, 0x0012});          // 1234567 kWh, word-swapped
    (*server)->set_holding(102, {0x0000, 0x3840});          // 14400 l/h
    (*server)->set_holding(104, {0x4375, 0x8000});          // 245.5 kW
    (*server)->fail_range(0, 0, 2);                         // the pump coil: illegal address
    // The controller's clock, a little behind the gateway's: its readings are dated by it.
    const auto device_seconds = static_cast<std::uint32_t>(std::time(nullptr)) - 30;
    (*server)->set_input(12, {static_cast<std::uint16_t>(device_seconds >> 16U),
                              static_cast<std::uint16_t>(device_seconds)});
    GatewayHarness harness;
    // The example's map, pointed at the test server.
    std::string map = read_text_file(std::filesystem::path(PASSERELLE_SOURCE_DIR) /
                                     "examples/territoire/modbus/sst-nord.yaml");
    map.replace(map.find("host: 10.20.0.31, port: 502"),
                std::string_view("host: 10.20.0.31, port: 502").size(),
                fmt::format("host: 127.0.0.1, port: {}", (*server)->port()));
    harness.write_file("modbus/sst-nord.yaml", map);
    harness.write_file("passerelle.yaml",
                       std::string(kMeterConfig) + "  modbus: {devices: [modbus/sst-nord.yaml]}\n");
    harness.write_file("entities.yaml",
                       entities("  - {id: sst-nord, type: substation, provider: chaleur}\n"));
    auto readings = harness.connector_listener();
    harness.start_gateway();
    const auto supply = wait_for_topic(*readings, "telemetry/chaleur/sst-nord/supply-temperature");
    INFO(harness.gateway_log());
    REQUIRE(supply.has_value());
    CHECK(senml_value(*supply) == Approx(85.2));
    CHECK(nlohmann::json::parse(supply->payload).at(0).at("t").get<double>() == device_seconds);
    const auto energy = wait_for_topic(*readings, "telemetry/chaleur/sst-nord/heat_energy");
    REQUIRE(energy.has_value());
    CHECK(senml_value(*energy) == 1234567.0);
    const auto device = wait_for_topic(*readings, "device/chaleur/sst-nord");
    REQUIRE(device.has_value());
    CHECK(nlohmann::json::parse(device->payload).at("protocol") == "modbus");
    // The failing block is logged, the other points still published.
    CHECK(harness.gateway_log().find("Illegal data address") != std::string::npos);
    CHECK(harness.stop_gateway().success());
}

}  // namespace
}  // namespace passerelle::testing
