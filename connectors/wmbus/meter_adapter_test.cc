// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/meter_adapter.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/received_telegram.h"

namespace passerelle::connectors::wmbus {
namespace {

// Kamstrup Multical 21, ELL AES-CTR, and Sontex Supercom 587, mode 5: the keyed golden vectors
// of tests/data/wmbus (wmbusmeters' public test telegrams and keys).
constexpr const char* kKamstrup =
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
constexpr const char* kKamstrupKey = "28F64A24988064A079AA2C807D6102AE";
constexpr const char* kSontexKey = "5065747220486F6C79737A6577736B69";
constexpr const char* kSontex =
    "AE44EE4D777777773C077A4400A025E78F4A01F9DCA029EDA03BA452686E8FA917507B29E5358B52D77C111EA4C41"
    "140290523F3F6B9F9261705E041C0CA41305004605F42D6C9464E5A04EEE227510BD0DC0983C665C3A5E4739C20"
    "82975476AC637BCDD39766AEF030502B6A7697BE9E1C49AF535C15470FCF8ADA36CAB9D0B2A1A8690F8DDCF708"
    "59F18B3414D8315B311A0AFA57325531587CB7E9CC110E807F24C190D7E635BEDAF4CAE8A161";

Timestamp at(std::int64_t seconds) {
    return Timestamp(std::chrono::seconds(seconds));
}

void declare(Territory& territory, std::string entity, std::string provider, std::string id,
             std::string manufacturer, std::string key) {
    Entity e;
    e.id = entity;
    e.type = "water-meter";
    e.provider = std::move(provider);
    REQUIRE(territory.entities.add(std::move(e)));
    MeterBinding meter;
    meter.id = std::move(id);
    meter.manufacturer = std::move(manufacturer);
    meter.entity = std::move(entity);
    meter.key_hex = std::move(key);
    REQUIRE(territory.meters.add(std::move(meter)));
}

const Reading* find(const DeviceReport& report, std::string_view quantity) {
    for (const Reading& reading : report.readings) {
        if (reading.quantity == quantity) {
            return &reading;
        }
    }
    return nullptr;
}

TEST_CASE("a declared meter's telegram becomes its entity's readings, opened with its key") {
    Territory territory;
    declare(territory, "cpt-a", "eau", "76348799", "KAM", kKamstrupKey);
    MeterAdapter adapter(territory);
    auto report = adapter.adapt(kKamstrup, "wmbus/rx1/telegram", at(1'700'000'000));
    REQUIRE(report);
    CHECK(report->entity == "cpt-a");
    CHECK(report->provider == "eau");
    CHECK(report->protocol == "wmbus");
    CHECK(report->id == "76348799");
    CHECK(report->manufacturer == "KAM");
    CHECK(report->medium == "cold_water");
    CHECK(report->access_number == 145);  // the ELL's: the TPL has no header here
    CHECK(report->source == "wmbus/rx1/telegram");
    CHECK(report->time == at(1'700'000'000));
    const Reading* volume = find(*report, "volume");
    REQUIRE(volume != nullptr);
    CHECK(std::get<double>(volume->value) == Approx(6.408));
    CHECK(volume->unit == "m3");
    CHECK(volume->entity == "cpt-a");
    CHECK(volume->provider == "eau");
    CHECK(volume->time == at(1'700'000'000));
}

TEST_CASE("a receiver's JSON envelope dates the readings and gives the signal strength") {
    Territory territory;
    declare(territory, "cpt-s", "eau", "77777777", "", kSontexKey);
    MeterAdapter adapter(territory);
    const std::string payload = std::string(R"({"telegram": ")") + kSontex +
                                R"(", "time": "2026-07-14T02:15:00Z", "rssi_dbm": -81.5})";
    auto report = adapter.adapt(payload, "wmbus/rx1/telegram", at(0));
    REQUIRE(report);
    CHECK(report->entity == "cpt-s");
    CHECK(report->manufacturer == "SON");
    CHECK(report->access_number == 0x44);
    CHECK(report->rssi_dbm == -81.5);
    CHECK(format_utc(report->time) == "2026-07-14T02:15:00Z");
    REQUIRE_FALSE(report->readings.empty());
    CHECK(format_utc(report->readings.front().time) == "2026-07-14T02:15:00Z");
}

TEST_CASE("a meter the registry does not declare is unknown, encrypted or not") {
    Territory territory;
    declare(territory, "cpt-s", "eau", "77777777", "", kSontexKey);
    MeterAdapter adapter(territory);
    auto report = adapter.adapt(kKamstrup, "wmbus/rx1/telegram", at(0));
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "meter.unknown");
    CHECK(report.error().message ==
          "unknown meter 76348799 (KAM, cold_water): declare it in the entity registry with "
          "meter: {id: \"76348799\"} on its entity");
}

TEST_CASE("the same number from another manufacturer is another meter") {
    Territory territory;
    declare(territory, "cpt-a", "eau", "76348799", "SEN", kKamstrupKey);
    MeterAdapter adapter(territory);
    auto report = adapter.adapt(kKamstrup, "t", at(0));
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "meter.unknown");
}

TEST_CASE("a declared meter without its key, or with a wrong one, is an error, never values") {
    Territory territory;
    declare(territory, "cpt-a", "eau", "76348799", "", "");
    declare(territory, "cpt-s", "eau", "77777777", "", kKamstrupKey);
    MeterAdapter adapter(territory);
    auto no_key = adapter.adapt(kKamstrup, "t", at(0));
    REQUIRE_FALSE(no_key);
    CHECK(no_key.error().code == "wmbus.no-key");
    auto wrong = adapter.adapt(kSontex, "t", at(0));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "wmbus.wrong-key");
    // No key material in any message.
    CHECK(wrong.error().message.find(kKamstrupKey) == std::string::npos);
}

TEST_CASE("receiver payloads: hex, wmbusmeters' log form, or a JSON envelope") {
    auto hex = parse_received_telegram(" 2A44 2D2C\n");
    REQUIRE(hex);
    CHECK(hex->bytes.size() == 4);
    CHECK_FALSE(hex->time);
    auto logged = parse_received_telegram("telegram=|2A442D2C_9987|+32");
    REQUIRE(logged);
    CHECK(logged->bytes.size() == 6);
    auto envelope = parse_received_telegram(R"({"telegram":"2A44","time":1784000000.5})");
    REQUIRE(envelope);
    CHECK(to_epoch_seconds(*envelope->time) == 1784000000.5);

    const auto error = [](std::string_view payload) {
        auto parsed = parse_received_telegram(payload);
        REQUIRE_FALSE(parsed);
        return parsed.error().code + ": " + parsed.error().message;
    };
    CHECK(error(R"({"telegram": 12})") ==
          "wmbus.bad-envelope: the JSON object needs 'telegram', the telegram in hex");
    CHECK(error(R"({"telegram": "2A44", "time": "14/07/2026"})") ==
          "wmbus.bad-envelope: 'time' must be a UTC time such as 2026-07-14T10:00:00Z or epoch "
          "seconds");
    CHECK(error(R"({"telegram": "2A44", "rssi_dbm": "fort"})") ==
          "wmbus.bad-envelope: 'rssi_dbm' must be a number");
    CHECK(error(R"({"telegram": "2A4)").rfind("wmbus.bad-envelope: not valid JSON at byte", 0) ==
          0);
    CHECK(error(R"({"telegram": "2A44", "t": 17e9010150355})")
              .rfind("wmbus.bad-envelope: not valid JSON: ", 0) == 0);  // found by the fuzzer
    CHECK(error("2A4G").rfind("mbus.bad-hex: not a hex digit 'G'", 0) == 0);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
