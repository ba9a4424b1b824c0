// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/wired_adapter.h"

#include <catch2/catch.hpp>

#include "tests/support/mbus_golden.h"

namespace passerelle::connectors::mbus {
namespace {

DecodedTelegram golden(const std::string& name) {
    auto telegram = decode_wired_frame(testing::golden_mbus_frame(name));
    REQUIRE(telegram);
    return *telegram;
}

Territory heat_meter_territory(std::string manufacturer) {
    Territory territory;
    Entity entity;
    entity.id = "cpt-chaleur";
    entity.provider = "chaleur";
    entity.type = "heat-meter";
    REQUIRE(territory.entities.add(std::move(entity)));
    MeterBinding meter;
    meter.id = "06855817";
    meter.manufacturer = std::move(manufacturer);
    meter.entity = "cpt-chaleur";
    REQUIRE(territory.meters.add(std::move(meter)));
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

TEST_CASE("a polled heat meter's answer becomes its entity's readings") {
    const Territory territory = heat_meter_territory("KAM");
    const DecodedTelegram telegram = golden("kamstrup-multical-601");
    const Timestamp when(std::chrono::seconds(1'800'000'000));
    auto report =
        wired_report(territory, std::span(&telegram, 1), "mbus://127.0.0.1:10001/1", when);
    REQUIRE(report);
    CHECK(report->entity == "cpt-chaleur");
    CHECK(report->provider == "chaleur");
    CHECK(report->protocol == "mbus");
    CHECK(report->id == "06855817");
    CHECK(report->manufacturer == "KAM");
    CHECK(report->medium == "heat_outlet");
    CHECK(report->access_number == 4);
    CHECK(report->source == "mbus://127.0.0.1:10001/1");
    const Reading* energy = find(*report, "energy");
    REQUIRE(energy != nullptr);
    CHECK(std::get<double>(energy->value) == 37351000.0);
    CHECK(energy->unit == "Wh");
    CHECK(energy->time == when);
}

TEST_CASE("records repeated across the telegrams of one answer are numbered, not merged") {
    const Territory territory = heat_meter_territory("");
    const DecodedTelegram telegram = golden("kamstrup-multical-601");
    const std::vector<DecodedTelegram> answer{telegram, telegram};
    auto report = wired_report(territory, answer, "mbus://h:1/1", Timestamp{});
    REQUIRE(report);
    CHECK(find(*report, "energy") != nullptr);
    CHECK(find(*report, "energy_2") != nullptr);
    CHECK(report->readings.size() ==
          2 * wired_report(territory, std::span(&telegram, 1), "mbus://h:1/1", Timestamp{})
                  ->readings.size());
}

TEST_CASE("a wired meter the registry lacks, or that does not say who it is, is an error") {
    const Territory territory = heat_meter_territory("SEN");
    const DecodedTelegram telegram = golden("kamstrup-multical-601");
    auto unknown = wired_report(territory, std::span(&telegram, 1), "mbus://h:1/1", Timestamp{});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "meter.unknown");

    const DecodedTelegram anonymous = golden("constructed-short-header");
    auto nameless = wired_report(territory, std::span(&anonymous, 1), "mbus://h:1/3", Timestamp{});
    REQUIRE_FALSE(nameless);
    CHECK(nameless.error().message ==
          "the meter at mbus://h:1/3 sends no identification (CI 0x7A): only meters with a long "
          "header (CI 0x72) can be matched to the registry");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
