// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/record_encoder.h"

#include <chrono>
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "connectors/mbus/application_layer.h"
#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

Timestamp at(std::chrono::sys_days day, std::chrono::seconds time_of_day) {
    return std::chrono::time_point_cast<Duration>(day + time_of_day);
}

std::vector<std::uint8_t> encoded(const RecordSpec& record) {
    auto bytes = encode_record(record);
    REQUIRE(bytes);
    return *bytes;
}

std::string error_of(const RecordSpec& record) {
    auto bytes = encode_record(record);
    REQUIRE_FALSE(bytes);
    CHECK(bytes.error().code == "wmbus.out-of-range");
    return bytes.error().message;
}

TEST_CASE("each quantity has its DIF/VIF and is rounded to its resolution") {
    CHECK(encoded(volume_m3(12.345)) == bytes_of("0413 39300000"));
    CHECK(encoded(volume_m3(0.0016)) == bytes_of("0413 02000000"));
    CHECK(encoded(volume_flow_m3h(0.123)) == bytes_of("023B 7B00"));
    CHECK(encoded(energy_kwh(1234.4)) == bytes_of("0406 D2040000"));
    CHECK(encoded(power_w(5400)) == bytes_of("042B 18150000"));
    CHECK(encoded(flow_temperature_c(70.25)) == bytes_of("0259 711B"));
    CHECK(encoded(return_temperature_c(-1.5)) == bytes_of("025D 6AFF"));
    CHECK(encoded(error_flags(0x0104)) == bytes_of("04FD17 04010000"));
}

TEST_CASE("type F date-time: minute, hour, then day and month with the year split over them") {
    // 2026-03-14 09:26:30 UTC: the seconds are dropped, year 26 = 0b0011010.
    const auto time = at(std::chrono::sys_days{2026y / std::chrono::March / 14}, 9h + 26min + 30s);
    CHECK(encoded(date_time(time)) == bytes_of("046D 1A094E33"));
}

TEST_CASE("storage, tariff and subunit go into the DIF and its DIFEs") {
    RecordSpec record = volume_m3(1.0);
    record.storage = 1;
    CHECK(encoded(record) == bytes_of("4413 E8030000"));
    record.storage = 2;
    CHECK(encoded(record) == bytes_of("840113 E8030000"));
    record.storage = 0;
    record.tariff = 1;
    record.subunit = 1;
    CHECK(encoded(record) == bytes_of("845013 E8030000"));
    record.tariff = 1U << 20;
    CHECK(error_of(record) == "storage 0, tariff 1048576, subunit 1 need more than 10 DIFEs");
}

TEST_CASE("values the encoding cannot hold are errors, never wrapped") {
    CHECK(error_of(volume_m3(-0.0001)) ==
          "volume -0.0001 m3 is out of range: DIF 04 VIF 13 holds 0 to 2147483.647 m3");
    CHECK(error_of(volume_m3(std::nan(""))) ==
          "volume nan m3 is out of range: DIF 04 VIF 13 holds 0 to 2147483.647 m3");
    CHECK(error_of(volume_flow_m3h(32.768)) ==
          "volume_flow 32.768 m3/h is out of range: DIF 02 VIF 3B holds 0 to 32.767 m3/h");
    CHECK(error_of(energy_kwh(std::numeric_limits<double>::infinity())) ==
          "energy inf kWh is out of range: DIF 04 VIF 06 holds 0 to 2147483647 kWh");
    CHECK(error_of(power_w(-1)) ==
          "power -1 W is out of range: DIF 04 VIF 2B holds 0 to 2147483647 W");
    CHECK(error_of(flow_temperature_c(327.68)) ==
          "flow_temperature 327.68 Cel is out of range: DIF 02 VIF 59 holds -327.68 to 327.67 Cel");
    CHECK(error_of(RecordSpec{Quantity::ErrorFlags, 4294967296.0}) ==
          "error_flags 4294967296 is out of range: DIF 04 VIF FD17 holds 0 to 4294967295");
    const auto too_late = at(std::chrono::sys_days{2081y / std::chrono::January / 1}, 0s);
    CHECK(error_of(date_time(too_late)) ==
          "date_time 2081-01-01T00:00 is out of range: type F holds 2000-01-01 to 2080-12-31 "
          "here");
    const auto too_early = at(std::chrono::sys_days{1999y / std::chrono::December / 31}, 23h);
    CHECK(error_of(date_time(too_early)) ==
          "date_time 1999-12-31T23:00 is out of range: type F holds 2000-01-01 to 2080-12-31 "
          "here");
}

TEST_CASE("encoded records decode to the values, names and SenML units given") {
    RecordSpec due_date = volume_m3(10.5);
    due_date.storage = 1;
    const std::vector<RecordSpec> records{
        volume_m3(12.345),
        due_date,
        volume_flow_m3h(0.123),
        energy_kwh(1234),
        power_w(5400),
        flow_temperature_c(70.25),
        return_temperature_c(45.5),
        error_flags(3),
        date_time(at(std::chrono::sys_days{2080y / std::chrono::December / 31}, 23h + 59min))};
    const auto bytes = encode_records(records);
    REQUIRE(bytes);
    const auto decoded = mbus::parse_records(*bytes, 0);
    REQUIRE(decoded);
    const auto readings = mbus::to_readings(*decoded, "p", "e", Timestamp{});
    REQUIRE(readings.size() == 9);
    const auto check = [&](std::size_t i, std::string_view name, std::string_view unit,
                           double value) {
        INFO(name);
        CHECK(readings[i].quantity == name);
        CHECK(readings[i].unit == unit);
        CHECK(std::get<double>(readings[i].value) == Approx(value));
    };
    check(0, "volume", "m3", 12.345);
    check(1, "volume_s1", "m3", 10.5);
    check(2, "volume_flow", "m3/s", 0.123 / 3600);
    check(3, "energy", "Wh", 1234000);
    check(4, "power", "W", 5400);
    check(5, "flow_temperature", "Cel", 70.25);
    check(6, "return_temperature", "Cel", 45.5);
    check(7, "error_flags", "", 3);
    CHECK(readings[8].quantity == "date_time");
    CHECK(std::get<std::string>(readings[8].value) == "2080-12-31T23:59");
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
