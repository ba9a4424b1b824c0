// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/device_report.h"

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace passerelle {
namespace {

DeviceReport sample() {
    DeviceReport report;
    report.provider = "eau";
    report.entity = "cpt-a";
    report.protocol = "wmbus";
    report.id = "76348799";
    report.manufacturer = "KAM";
    report.medium = "cold_water";
    report.version = 27;
    report.access_number = 145;
    report.rssi_dbm = -71.5;
    report.source = "wmbus/rx1/telegram";
    report.time = Timestamp(std::chrono::seconds(1'784'000'000));
    report.readings.push_back(Reading{"eau", "cpt-a", "volume", 6.408, "m3", report.time});
    return report;
}

TEST_CASE("a device report goes on device/<provider>/<entity>") {
    CHECK(device_topic(sample()) == "device/eau/cpt-a");
}

TEST_CASE("device reports follow schemas/device.schema.json, absent fields left out") {
    std::ifstream file(PASSERELLE_SOURCE_DIR "/schemas/device.schema.json");
    const auto schema = nlohmann::json::parse(file);
    DeviceReport minimal = sample();
    minimal.manufacturer.clear();
    minimal.version.reset();
    minimal.rssi_dbm.reset();
    for (const DeviceReport& report : {sample(), minimal}) {
        const auto body = nlohmann::json::parse(encode_device_report(report));
        for (const auto& key : schema["required"]) {
            CHECK(body.contains(key.get<std::string>()));
        }
        for (const auto& [key, value] : body.items()) {
            INFO(key);
            CHECK(schema["properties"].contains(key));
        }
    }
    const auto full = nlohmann::json::parse(encode_device_report(sample()));
    CHECK(full["ts"] == "2026-07-14T03:33:20Z");
    CHECK(full["quantities"] == nlohmann::json::array({"volume"}));
    CHECK(full["rssi_dbm"] == -71.5);
    const auto bare = nlohmann::json::parse(encode_device_report(minimal));
    CHECK_FALSE(bare.contains("manufacturer"));
    CHECK_FALSE(bare.contains("version"));
    CHECK_FALSE(bare.contains("driver"));
}

}  // namespace
}  // namespace passerelle
