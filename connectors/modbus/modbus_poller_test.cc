// SPDX-License-Identifier: Apache-2.0
// The poller against an in-process Modbus TCP server: the example substation map end to end,
// exceptions, timeouts and refused connections, each reported for its own device only.
#include "connectors/modbus/modbus_poller.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include <catch2/catch.hpp>

#include "connectors/modbus/map_loader.h"
#include "tests/support/modbus_server.h"

using namespace passerelle;
using namespace passerelle::connectors::modbus;
using passerelle::testing::ModbusServer;
using namespace std::chrono_literals;

namespace {

/// Collects reports per device name and lets a test wait for them.
class Reports {
public:
    ModbusCallback callback() {
        return [this](const Device& device, const PollReport& report, Timestamp) {
            const std::lock_guard lock(mutex_);
            by_device_[device.name].push_back(report);
            changed_.notify_all();
        };
    }
    /// The first report of `device`, waiting up to `timeout` for it.
    std::optional<PollReport> first(const std::string& device,
                                    std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, timeout, [&] { return !by_device_[device].empty(); })) {
            return std::nullopt;
        }
        return by_device_[device].front();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::vector<PollReport>> by_device_;
};

std::unique_ptr<ModbusServer> start_server() {
    auto server = ModbusServer::start();
    REQUIRE(server);
    return std::move(*server);
}

/// `t` as the uint32 Unix time of a clock register pair, big-endian.
std::vector<std::uint16_t> clock_words(Timestamp t) {
    const auto seconds = static_cast<std::uint32_t>(to_epoch_seconds(t));
    return {static_cast<std::uint16_t>(seconds >> 16U), static_cast<std::uint16_t>(seconds)};
}

/// The values a healthy SST Nord shows (see examples/territoire/modbus/sst-nord.yaml), its clock
/// right.
void fill_substation(ModbusServer& server) {
    server.set_input(12, clock_words(SystemClock().now()));
    server.set_input(1, {0xFFDD, 852, 487, 620, 453});  // -3.5, 85.2, 48.7, 62.0, 45.3 °C
    server.set_input(10, {375});                        // valve 37.5 %
    server.set_holding(100, {0xD687, 0x0012});          // 1234567 kWh, word-swapped
    server.set_holding(102, {0x0000, 0x3840});          // 14400 l/h
    server.set_holding(104, {0x4375, 0x8000});          // 245.5 kW as float32
    server.set_coil(0, true);
    server.set_discrete(1, true);
}

Device substation(const std::string& name, const ModbusServer& server,
                  std::chrono::milliseconds timeout = 500ms) {
    Diagnostics diagnostics;
    auto device = load_device_file(
        std::string(PASSERELLE_SOURCE_DIR) + "/examples/territoire/modbus/sst-nord.yaml",
        diagnostics);
    REQUIRE(device);
    device->name = name;
    device->host = server.host();
    device->port = server.port();
    device->timeout = timeout;
    device->retries = 0;
    return *device;
}

std::map<std::string, Value> by_quantity(const PollReport& report) {
    std::map<std::string, Value> values;
    for (const PointReading& reading : report.readings) {
        values[reading.quantity] = reading.value;
    }
    return values;
}

double number(const std::map<std::string, Value>& values, const std::string& quantity) {
    const auto it = values.find(quantity);
    REQUIRE(it != values.end());
    return std::get<double>(it->second);
}

}  // namespace

TEST_CASE("the poller reads the example substation map") {
    auto server = start_server();
    fill_substation(*server);
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({substation("sst-nord", *server)}, clock, reports.callback());
    poller.start();
    const auto report = reports.first("sst-nord");
    REQUIRE(report);
    for (const Error& error : report->errors) {
        FAIL_CHECK(error.message);
    }
    REQUIRE(report->readings.size() == 13);
    const auto values = by_quantity(*report);
    CHECK(number(values, "outdoor_temperature") == Approx(-3.5));
    CHECK(number(values, "supply-temperature") == Approx(85.2));
    CHECK(number(values, "primary_return_temperature") == Approx(48.7));
    CHECK(number(values, "secondary_supply_temperature") == Approx(62.0));
    CHECK(number(values, "secondary_return_temperature") == Approx(45.3));
    CHECK(number(values, "valve_position") == Approx(37.5));
    CHECK(number(values, "heat_energy") == 1234567.0);
    CHECK(number(values, "primary_flow") == Approx(4.0));
    CHECK(number(values, "heat_power") == 245.5);
    CHECK(std::get<bool>(values.at("pump_running")));
    CHECK_FALSE(std::get<bool>(values.at("alarm_high_supply_temperature")));
    CHECK(std::get<bool>(values.at("alarm_sensor_fault")));
    CHECK_FALSE(std::get<bool>(values.at("alarm_pressure_low")));
    for (const PointReading& reading : report->readings) {
        if (reading.quantity == "heat_power") {
            CHECK(reading.unit == "kW");
        }
    }
    // Input registers 1..10 in one request, holding 100..105, one coil, three discretes.
    CHECK(server->request_count() == 4);
}

/// Every report of one device with its time, in order.
class DatedReports {
public:
    ModbusCallback callback() {
        return [this](const Device&, const PollReport& report, Timestamp when) {
            const std::lock_guard lock(mutex_);
            reports_.emplace_back(report, when);
            changed_.notify_all();
        };
    }
    /// Waits until there are `count` reports.
    std::vector<std::pair<PollReport, Timestamp>> wait(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 5s, [&] { return reports_.size() >= count; });
        return reports_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::pair<PollReport, Timestamp>> reports_;
};

TEST_CASE("a device's clock dates its readings; a clock that stands still gives stale polls") {
    auto server = start_server();
    fill_substation(*server);
    // A poller whose clock is a week behind the device's, as the demo's gateway is behind the
    // simulator's compressed scenario.
    const Timestamp device_time = *parse_utc("2026-12-02T01:15:00Z");
    ManualClock clock(device_time - std::chrono::days(7) + std::chrono::hours(1));
    server->set_input(12, clock_words(device_time));
    DatedReports reports;
    Device device = substation("sst-nord", *server);
    device.interval = 20ms;
    ModbusPoller poller({device}, clock, reports.callback(), std::chrono::days(8));
    poller.start();
    auto seen = reports.wait(2);
    REQUIRE(seen.size() >= 2);
    CHECK(seen[0].first.ok());
    CHECK(seen[0].first.device_time == device_time);
    CHECK(seen[0].second == device_time);
    CHECK(seen[0].first.readings.size() == 13);
    CHECK_FALSE(seen[0].first.stale);
    // Same clock: nothing new to say, with the same time.
    CHECK(seen[1].first.stale);
    CHECK(seen[1].first.readings.empty());
    CHECK(seen[1].second == device_time);
    // The clock moves on: readings again, at the new time.
    const std::size_t before = seen.size();
    server->set_input(12, clock_words(device_time + std::chrono::minutes(15)));
    for (int i = 0; i < 100; ++i) {
        seen = reports.wait(before + 1 + static_cast<std::size_t>(i));
        if (!seen.back().first.stale) {
            break;
        }
    }
    poller.stop();
    CHECK_FALSE(seen.back().first.stale);
    CHECK(seen.back().second == device_time + std::chrono::minutes(15));
    CHECK(seen.back().first.readings.size() == 13);
}

TEST_CASE(
    "a device clock beyond the tolerance is a modbus.clock error; the poll is dated by the "
    "gateway and still read") {
    auto server = start_server();
    fill_substation(*server);
    server->set_input(12, {0, 0});  // a controller whose battery died: 1970
    const ManualClock clock(*parse_utc("2026-12-02T01:15:00Z"));
    DatedReports reports;
    ModbusPoller poller({substation("sst-nord", *server)}, clock, reports.callback());
    poller.start();
    const auto seen = reports.wait(1);
    poller.stop();
    REQUIRE_FALSE(seen.empty());
    const auto& [report, when] = seen.front();
    CHECK(when == clock.now());
    CHECK(report.readings.size() == 13);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].code == "modbus.clock");
    CHECK(report.errors[0].message.find("its clock says 1970-01-01T00:00:00Z") !=
          std::string::npos);
    CHECK(report.errors[0].message.find("behind the gateway's (more than 5min)") !=
          std::string::npos);
}

TEST_CASE("a failed sensor's sentinel yields no reading and no error") {
    auto server = start_server();
    fill_substation(*server);
    server->set_input(1, {0x7FFF});  // outdoor sensor broken
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({substation("sst-nord", *server)}, clock, reports.callback());
    poller.start();
    const auto report = reports.first("sst-nord");
    REQUIRE(report);
    CHECK(report->ok());
    CHECK(report->readings.size() == 12);
    CHECK(report->no_value == std::vector<std::string>{"outdoor_temperature"});
}

TEST_CASE("an exception is reported for its device and requests, and the others are read") {
    auto healthy = start_server();
    auto faulty = start_server();
    fill_substation(*healthy);
    fill_substation(*faulty);
    faulty->fail_range(100, 105);
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({substation("sst-nord", *healthy), substation("sst-sud", *faulty)}, clock,
                        reports.callback());
    poller.start();

    const auto bad = reports.first("sst-sud");
    REQUIRE(bad);
    REQUIRE(bad->errors.size() == 1);
    CHECK(bad->errors[0].code == "modbus.exception");
    CHECK(bad->errors[0].message ==
          "sst-sud (127.0.0.1:" + std::to_string(faulty->port()) +
              " unit 1): holding registers 100..105: Illegal data address");
    CHECK(bad->readings.size() == 10);  // all but the three holding registers' points

    const auto good = reports.first("sst-nord");
    REQUIRE(good);
    CHECK(good->ok());
    CHECK(good->readings.size() == 13);
}

TEST_CASE("a silent device times out without holding up the others") {
    auto healthy = start_server();
    auto silent = start_server();
    fill_substation(*healthy);
    silent->set_silent(true);
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({substation("sst-nord", *healthy), substation("sst-muet", *silent, 1s)},
                        clock, reports.callback());
    poller.start();

    // The healthy device's poll ends long before the silent one's second is up.
    const auto good = reports.first("sst-nord");
    REQUIRE(good);
    CHECK(good->ok());
    CHECK_FALSE(reports.first("sst-muet", 0ms));

    const auto bad = reports.first("sst-muet");
    REQUIRE(bad);
    REQUIRE(bad->errors.size() == 1);
    CHECK(bad->errors[0].code == "modbus.timeout");
    CHECK(bad->errors[0].message ==
          "sst-muet (127.0.0.1:" + std::to_string(silent->port()) +
              " unit 1): no answer to holding registers 100..105 within 1000ms after 1 attempt");
    CHECK(bad->readings.empty());  // the rest of the poll was skipped
    CHECK(silent->request_count() == 1);
}

TEST_CASE("a refused connection is a modbus.connect error") {
    std::uint16_t port = 0;
    {
        auto gone = start_server();
        port = gone->port();
    }
    auto placeholder = start_server();
    Device device = substation("sst-absente", *placeholder);
    device.port = port;
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({device}, clock, reports.callback());
    poller.start();
    const auto report = reports.first("sst-absente");
    REQUIRE(report);
    REQUIRE(report->errors.size() == 1);
    CHECK(report->errors[0].code == "modbus.connect");
    CHECK_THAT(report->errors[0].message, Catch::Contains("cannot connect: Connection refused"));
}

TEST_CASE("stop() interrupts a request waiting for its answer") {
    auto silent = start_server();
    silent->set_silent(true);
    const SystemClock clock;
    Reports reports;
    ModbusPoller poller({substation("sst-muet", *silent, 10s)}, clock, reports.callback());
    poller.start();
    for (int i = 0; i < 200 && silent->request_count() == 0; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    REQUIRE(silent->request_count() == 1);
    const auto stopping = std::chrono::steady_clock::now();
    poller.stop();
    CHECK(std::chrono::steady_clock::now() - stopping < 500ms);
    CHECK_FALSE(reports.first("sst-muet", 0ms));  // an interrupted poll reports nothing
}

TEST_CASE("devices are polled again every interval") {
    auto server = start_server();
    fill_substation(*server);
    const SystemClock clock;
    Reports reports;
    Device device = substation("sst-nord", *server);
    device.interval = 50ms;
    ModbusPoller poller({device}, clock, reports.callback());
    poller.start();
    for (int i = 0; i < 200 && server->request_count() < 12; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    poller.stop();
    CHECK(server->request_count() >= 12);  // three polls of four requests
}

TEST_CASE("a timed-out request is tried again on a new connection, an exception is not") {
    auto server = start_server();
    server->set_silent(true);
    const SystemClock clock;
    Reports reports;
    Device device = substation("sst-muet", *server, 200ms);
    device.retries = 1;
    ModbusPoller poller({device}, clock, reports.callback());
    poller.start();
    const auto report = reports.first("sst-muet");
    REQUIRE(report);
    REQUIRE(report->errors.size() == 1);
    CHECK_THAT(report->errors[0].message, Catch::EndsWith("within 200ms after 2 attempts"));
    CHECK(server->request_count() == 2);
    poller.stop();

    auto refusing = start_server();
    fill_substation(*refusing);
    refusing->fail_range(0, 1023, 1);  // illegal function, for every request
    Reports refused;
    Device strict = substation("sst-stricte", *refusing);
    strict.retries = 3;
    ModbusPoller again({strict}, clock, refused.callback());
    again.start();
    const auto exceptions = refused.first("sst-stricte");
    REQUIRE(exceptions);
    CHECK(exceptions->errors.size() == 4);  // one per request, each asked once
    CHECK_THAT(exceptions->errors[0].message, Catch::EndsWith("Illegal function"));
    again.stop();
    CHECK(refusing->request_count() == 4);
}
