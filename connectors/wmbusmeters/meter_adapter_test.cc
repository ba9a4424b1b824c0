// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbusmeters/meter_adapter.h"

#include <catch2/catch.hpp>

namespace passerelle::connectors::wmbusmeters {
namespace {

constexpr const char* kMessage =
    R"({"_":"telegram","media":"cold water","meter":"multical21","name":"Cuisine",)"
    R"("id":"76348799","total_m3":6.408,"target_m3":6.408,"current_status":"DRY",)"
    R"("timestamp":"2026-07-14T02:15:00Z","device":"rtlwmbus[1]","rssi_dbm":-64})";

Territory territory_with_meter(std::string id, std::string manufacturer) {
    Territory territory;
    Entity entity;
    entity.id = "cpt-a";
    entity.provider = "eau";
    entity.type = "water-meter";
    REQUIRE(territory.entities.add(std::move(entity)));
    MeterBinding meter;
    meter.id = std::move(id);
    meter.manufacturer = std::move(manufacturer);
    meter.entity = "cpt-a";
    REQUIRE(territory.meters.add(std::move(meter)));
    return territory;
}

TEST_CASE("a wmbusmeters message becomes its meter's entity's readings") {
    // The registry may name the manufacturer: wmbusmeters does not, the id finds the meter.
    const Territory territory = territory_with_meter("76348799", "KAM");
    auto report = adapt_message(territory, kMessage, "wmbusmeters/Cuisine",
                                Timestamp(std::chrono::seconds(5)));
    REQUIRE(report);
    CHECK(report->entity == "cpt-a");
    CHECK(report->provider == "eau");
    CHECK(report->protocol == "wmbusmeters");
    CHECK(report->driver == "multical21");
    CHECK(report->medium == "cold water");
    CHECK(report->rssi_dbm == -64.0);
    CHECK(report->source == "wmbusmeters/Cuisine");
    CHECK(format_utc(report->time) == "2026-07-14T02:15:00Z");
    bool total_found = false;
    for (const Reading& reading : report->readings) {
        CHECK(reading.entity == "cpt-a");
        CHECK(reading.provider == "eau");
        CHECK(format_utc(reading.time) == "2026-07-14T02:15:00Z");
        if (reading.quantity == "total") {
            total_found = true;
            CHECK(std::get<double>(reading.value) == 6.408);
            CHECK(reading.unit == "m3");
        }
    }
    CHECK(total_found);
}

TEST_CASE("a wmbusmeters message of an undeclared meter is an unknown meter") {
    const Territory territory = territory_with_meter("11111111", "");
    auto report = adapt_message(territory, kMessage, "wmbusmeters/Cuisine", Timestamp{});
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "meter.unknown");
    CHECK(report.error().message.rfind("unknown meter 76348799 (manufacturer unknown, cold water)",
                                       0) == 0);
}

TEST_CASE("a message that is not wmbusmeters' JSON keeps its parser's error") {
    const Territory territory = territory_with_meter("76348799", "");
    auto report = adapt_message(territory, "{\"id\":", "wmbusmeters/x", Timestamp{});
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "wmbusmeters.bad-json");
}

}  // namespace
}  // namespace passerelle::connectors::wmbusmeters
