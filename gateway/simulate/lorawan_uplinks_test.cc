// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/lorawan_uplinks.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/device_adapter.h"

namespace passerelle::simulate {
namespace {

const Timestamp kAt = *timestamp_from_epoch_seconds(1784030400.0);

FieldSpec field(const char* quantity, const char* pointer, const char* unit, double scale) {
    return {{TextSource::Kind::Constant, quantity, 0, {}},
            *parse_json_pointer(pointer),
            unit,
            std::nullopt,
            scale,
            0.0,
            false,
            {}};
}

Territory territory() {
    Territory territory;
    Entity entity;
    entity.id = "hs-b-201";
    entity.provider = "habitat-sud";
    REQUIRE(territory.entities.add(std::move(entity)));
    REQUIRE(territory.lorawan.add(
        {"70b3d57ed0045a1c",
         std::string(connectors::lorawan::kNetworkServerCodec),
         "hs-b-201",
         {},
         {field("temperature", "/sht/t", "Cel", 0.01), field("humidity", "/rh", "%RH", 1.0)}}));
    return territory;
}

ScheduledReading reading(const char* quantity, double value, const char* unit) {
    return {"telemetry/habitat-sud/hs-b-201/" + std::string(quantity),
            Reading{"habitat-sud", "hs-b-201", quantity, value, unit, kAt},
            false,
            "",
            {},
            {}};
}

TEST_CASE("a network-server device's readings travel in the uplink's decoded object",
          "[simulate]") {
    config::ConnectorSettings connectors;
    connectors.lorawan_topics = {"application/+/device/+/event/up"};
    const Territory t = territory();
    auto uplinks = as_lorawan_uplinks(
        {reading("temperature", 27.5, "Cel"), reading("humidity", 48.0, "%RH")}, t, connectors);
    INFO((uplinks ? std::string() : uplinks.error().message));
    REQUIRE(uplinks);
    REQUIRE(uplinks->size() == 1);
    const ScheduledReading& uplink = uplinks->front();
    const auto event = nlohmann::json::parse(uplink.payload);
    CHECK(event.at("object").at("sht").at("t").get<double>() == Approx(2750.0));
    CHECK(event.at("object").at("rh").get<double>() == 48.0);
    // Adapted back as the gateway will: the scenario's values, and the radio's readings.
    REQUIRE(uplink.carried.size() >= 2);
    CHECK(uplink.carried[0].quantity == "temperature");
    CHECK(std::get<double>(uplink.carried[0].value) == Approx(27.5));
    CHECK(uplink.carried[1].quantity == "humidity");

    auto unknown = as_lorawan_uplinks({reading("co2", 900.0, "ppm")}, t, connectors);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message ==
          "device of hs-b-201: no field of codec network-server gives 'co2' (ppm)");
}

}  // namespace
}  // namespace passerelle::simulate
