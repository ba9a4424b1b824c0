// SPDX-License-Identifier: Apache-2.0
// The simulator's pace against the gateway's poller: each set is given back for the record once
// polled, a device nobody polls is said once and no longer waited for.
#include "gateway/simulate/served_devices.h"

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "connectors/modbus/map_loader.h"
#include "connectors/modbus/modbus_poller.h"
#include "gateway/core/topic.h"
#include "gateway/simulate/modbus_registers.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
namespace modbus = passerelle::connectors::modbus;

namespace {

const Timestamp kServedStart = *parse_utc("2026-11-27T01:15:00Z");

/// The example substation on a port of 127.0.0.1 that nothing listens on yet: a server listens
/// there and is closed, so the port is free and its number known.
modbus::Device local_substation() {
    Diagnostics diagnostics;
    auto device = modbus::load_device_file(
        std::string(PASSERELLE_SOURCE_DIR) + "/examples/territoire/modbus/sst-nord.yaml",
        diagnostics);
    REQUIRE(device);
    device->host = "127.0.0.1";
    device->port = 0;
    auto probe = simulate::ModbusDeviceServer::listen(*device);
    REQUIRE(probe);
    device->port = (*probe)->port();
    device->interval = 10ms;
    return *device;
}

/// Three quarter hours of the substation's supply, as register sets.
std::vector<simulate::ScheduledReading> three_sets(const modbus::Device& device) {
    std::vector<simulate::ScheduledReading> schedule;
    for (int i = 0; i < 3; ++i) {
        const Timestamp t = kServedStart + i * 15min;
        schedule.push_back(
            {telemetry_topic("chaleur", "sst-nord", "supply-temperature"),
             Reading{"chaleur", "sst-nord", "supply-temperature", 70.0 + i, "Cel", t},
             false,
             {},
             {},
             {}});
    }
    config::ConnectorSettings connectors;
    connectors.modbus_devices = {device};
    auto sets = simulate::as_modbus_registers(schedule, connectors);
    REQUIRE(sets);
    return *sets;
}

}  // namespace

TEST_CASE("each set polled is given back once the next is served, the last by finish()") {
    const modbus::Device device = local_substation();
    const auto sets = three_sets(device);
    std::vector<std::string> warnings;
    simulate::ServedDevices served(
        {device}, [&](const std::string& message) { warnings.push_back(message); });
    const ManualClock clock(kServedStart);
    modbus::ModbusPoller poller(
        {device}, clock, [](auto&&...) {}, std::chrono::days(1));
    poller.start();
    std::vector<const simulate::ScheduledReading*> recorded;
    for (const auto& set : sets) {
        const auto previous = served.serve(set);
        REQUIRE(previous);
        if (*previous != nullptr) {
            recorded.push_back(*previous);
        }
    }
    for (const auto* last : served.finish()) {
        recorded.push_back(last);
    }
    poller.stop();
    REQUIRE(recorded.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(recorded[i] == &sets[i]);
    }
    CHECK(served.served() == 3);
    CHECK(served.polled() == 3);
    CHECK(served.names() == "sst-nord");
    CHECK(warnings.empty());
}

TEST_CASE("a device nobody polls is said once, not waited for again, and nothing is recorded") {
    const modbus::Device device = local_substation();
    const auto sets = three_sets(device);
    std::vector<std::string> warnings;
    simulate::ServedDevices served(
        {device}, [&](const std::string& message) { warnings.push_back(message); });
    const auto started = std::chrono::steady_clock::now();
    for (const auto& set : sets) {
        const auto previous = served.serve(set);
        REQUIRE(previous);
        CHECK(*previous == nullptr);
    }
    CHECK(served.finish().empty());
    // One wait of the 2 s patience, then none.
    CHECK(std::chrono::steady_clock::now() - started < 4s);
    CHECK(served.served() == 3);
    CHECK(served.polled() == 0);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] ==
          "Modbus device sst-nord: its registers of 2026-11-27T01:15:00Z were not polled within "
          "2s; going on without waiting for the gateway");
}

TEST_CASE("a port another program holds stops the serving") {
    const modbus::Device device = local_substation();
    auto holder = simulate::ModbusDeviceServer::listen(device);
    REQUIRE(holder);
    simulate::ServedDevices served({device}, [](const std::string&) {});
    const auto refused = served.serve(three_sets(device).front());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "simulate.modbus-listen");
}
