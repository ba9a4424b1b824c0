// SPDX-License-Identifier: Apache-2.0
// The example substation's map served for a scenario, then polled from the simulator's server by
// the gateway's poller: the registers, the readings recorded and the readings polled agree.
#include "gateway/simulate/modbus_registers.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include <catch2/catch.hpp>

#include "connectors/modbus/map_loader.h"
#include "connectors/modbus/modbus_poller.h"
#include "gateway/core/topic.h"
#include "gateway/simulate/modbus_device_server.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
namespace modbus = passerelle::connectors::modbus;

namespace {

modbus::Device example_substation(const std::string& host, std::uint16_t port = 1502) {
    Diagnostics diagnostics;
    auto device = modbus::load_device_file(
        std::string(PASSERELLE_SOURCE_DIR) + "/examples/territoire/modbus/sst-nord.yaml",
        diagnostics);
    REQUIRE(device);
    device->host = host;
    device->port = port;
    return *device;
}

simulate::ScheduledReading telemetry(const char* entity, const char* quantity, double value,
                                     const char* unit, Timestamp t) {
    const std::string provider = std::string(entity).starts_with("sst") ? "chaleur" : "hs";
    return {telemetry_topic(provider, entity, quantity),
            Reading{provider, entity, quantity, value, unit, t},
            false,
            {},
            {},
            {}};
}

const Timestamp kT0 = *parse_utc("2026-11-27T01:15:00Z");

std::map<std::string, Value> by_quantity(const std::vector<Reading>& readings) {
    std::map<std::string, Value> values;
    for (const Reading& reading : readings) {
        values[reading.quantity] = reading.value;
    }
    return values;
}

}  // namespace

TEST_CASE("a served device's readings of one instant become its registers and its clock") {
    config::ConnectorSettings connectors;
    connectors.modbus_devices = {example_substation("127.0.0.1")};
    std::vector<simulate::ScheduledReading> schedule{
        telemetry("hs-a-101", "temperature", 20.1, "Cel", kT0),
        telemetry("sst-nord", "supply-temperature", 52.46, "Cel", kT0),
        telemetry("sst-nord", "heat_power", 245.5, "kW", kT0),
        telemetry("sst-nord", "supply-temperature", 53.0, "Cel", kT0 + 15min),
    };
    const auto served = simulate::as_modbus_registers(schedule, connectors);
    INFO((served ? "" : served.error().message));
    REQUIRE(served);
    REQUIRE(served->size() == 3);
    CHECK((*served)[0].topic == "telemetry/hs/hs-a-101/temperature");
    CHECK((*served)[0].registers.empty());

    const simulate::ScheduledReading& item = (*served)[1];
    CHECK(item.topic == "modbus://127.0.0.1:1502/1");
    CHECK(item.payload.empty());
    CHECK(item.reading.time == kT0);
    std::map<std::pair<modbus::Table, std::uint16_t>, std::vector<std::uint16_t>> words;
    for (const auto& write : item.registers) {
        words[{write.table, write.address}] = write.words;
    }
    CHECK(words.at({modbus::Table::Input, 2}) == std::vector<std::uint16_t>{525});    // 0.1 °C
    CHECK(words.at({modbus::Table::Input, 1}) == std::vector<std::uint16_t>{32767});  // no sensor
    CHECK(words.at({modbus::Table::Holding, 104}) == std::vector<std::uint16_t>{0x4375, 0x8000});
    const auto seconds = static_cast<std::uint32_t>(to_epoch_seconds(kT0));
    CHECK(words.at({modbus::Table::Input, 12}) ==
          std::vector<std::uint16_t>{static_cast<std::uint16_t>(seconds >> 16U),
                                     static_cast<std::uint16_t>(seconds)});

    // What the gateway decodes: rounded to the register's tenth, sentinels left out, the points
    // the scenario does not give at zero.
    const auto carried = by_quantity(item.carried);
    CHECK(carried.size() == 9);  // 13 points, 4 temperatures without a sensor
    CHECK(std::get<double>(carried.at("supply-temperature")) == Approx(52.5));
    CHECK(std::get<double>(carried.at("heat_power")) == 245.5);
    CHECK(std::get<double>(carried.at("heat_energy")) == 0.0);
    CHECK_FALSE(std::get<bool>(carried.at("pump_running")));
    CHECK_FALSE(carried.contains("outdoor_temperature"));
    for (const Reading& reading : item.carried) {
        CHECK(reading.provider == "chaleur");
        CHECK(reading.entity == "sst-nord");
        CHECK(reading.time == kT0);
    }
    CHECK((*served)[2].reading.time == kT0 + 15min);
}

TEST_CASE(
    "devices off this machine are not served; a map without a clock or a point is an "
    "error") {
    config::ConnectorSettings connectors;
    connectors.modbus_devices = {example_substation("10.20.0.31", 502)};
    const std::vector<simulate::ScheduledReading> schedule{
        telemetry("sst-nord", "supply-temperature", 75.0, "Cel", kT0)};
    const auto remote = simulate::as_modbus_registers(schedule, connectors);
    REQUIRE(remote);
    CHECK(remote->front().registers.empty());
    CHECK(remote->front().topic == "telemetry/chaleur/sst-nord/supply-temperature");

    connectors.modbus_devices = {example_substation("127.0.0.1")};
    const auto unknown = simulate::as_modbus_registers(
        {telemetry("sst-nord", "return-temperature", 50.0, "Cel", kT0)}, connectors);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "simulate.modbus-quantity");
    CHECK(unknown.error().message ==
          "Modbus device sst-nord: its register map has no point 'return-temperature' for the "
          "scenario's reading");

    const auto too_hot = simulate::as_modbus_registers(
        {telemetry("sst-nord", "supply-temperature", 4000.0, "Cel", kT0)}, connectors);
    REQUIRE_FALSE(too_hot);
    CHECK(too_hot.error().code == "modbus.out-of-range");

    connectors.modbus_devices.front().clock.reset();
    const auto clockless = simulate::as_modbus_registers(schedule, connectors);
    REQUIRE_FALSE(clockless);
    CHECK(clockless.error().code == "simulate.modbus-clock");
}

TEST_CASE("the gateway's poller reads each set whole, dated by the scenario's clock") {
    auto device = example_substation("127.0.0.1", 0);
    auto server = simulate::ModbusDeviceServer::listen(device);
    REQUIRE(server);
    device.port = (*server)->port();
    device.interval = 10ms;
    config::ConnectorSettings connectors;
    connectors.modbus_devices = {device};
    const auto served = simulate::as_modbus_registers(
        {telemetry("sst-nord", "supply-temperature", 75.1, "Cel", kT0),
         telemetry("sst-nord", "supply-temperature", 52.5, "Cel", kT0 + 15min)},
        connectors);
    REQUIRE(served);
    REQUIRE(served->size() == 2);

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::pair<modbus::PollReport, Timestamp>> reports;
    // The gateway's clock is days behind the scenario's, as in the demo.
    const ManualClock clock(kT0 - std::chrono::days(5));
    modbus::ModbusPoller poller(
        {device}, clock,
        [&](const modbus::Device&, const modbus::PollReport& report, Timestamp when) {
            const std::lock_guard lock(mutex);
            if (!report.stale) {
                reports.emplace_back(report, when);
            }
            changed.notify_all();
        },
        std::chrono::days(7));
    (*server)->update((*served)[0].registers);
    poller.start();
    REQUIRE((*server)->wait_polled(5s));
    (*server)->update((*served)[1].registers);
    REQUIRE((*server)->wait_polled(5s));
    {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, 5s, [&] { return reports.size() >= 2; });
    }
    poller.stop();
    REQUIRE(reports.size() == 2);  // one each: the repeated polls of a set are stale
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& [report, when] = reports[i];
        INFO(i);
        CHECK(report.ok());
        CHECK(when == (*served)[i].reading.time);
        std::map<std::string, Value> polled;
        for (const auto& point : report.readings) {
            polled[point.quantity] = point.value;
        }
        CHECK(polled == by_quantity((*served)[i].carried));
    }
    CHECK((*server)->polls() >= 2);
}
