// SPDX-License-Identifier: Apache-2.0
// The poller against in-process slaves: one callback per target and interval, a prompt stop().
#include "connectors/mbus/tcp_poller.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/mbus_golden.h"
#include "tests/support/mbus_slave.h"

namespace passerelle::connectors::mbus {
namespace {

using namespace std::chrono_literals;
using testing::MbusBytes;
using testing::MbusSlave;

std::unique_ptr<MbusSlave> start_polled_slave() {
    auto slave = MbusSlave::start();
    REQUIRE(slave.has_value());
    return std::move(*slave);
}

MasterSettings poller_settings() {
    MasterSettings settings;
    settings.timeout = 150ms;
    settings.attempts = 2;
    settings.retry_pause = 10ms;
    return settings;
}

PollTarget target(std::string entity, const std::string& host, std::uint16_t port,
                  std::uint8_t address, std::chrono::milliseconds interval) {
    return PollTarget{std::move(entity), host, port, address, interval};
}

// What the callback saw, per entity: the error code of each result, "" for a success.
class Results {
public:
    void add(const PollTarget& polled, const Result<std::vector<DecodedTelegram>>& result) {
        {
            const std::lock_guard lock(mutex_);
            codes_[polled.entity].push_back(result ? "" : result.error().code);
        }
        changed_.notify_all();
    }
    /// Waits (10 s at most) until every entity of `entities` has `count` results.
    bool wait_for(const std::vector<std::string>& entities, std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 10s, [&] {
            for (const std::string& entity : entities) {
                if (codes_[entity].size() < count) {
                    return false;
                }
            }
            return true;
        });
    }
    std::map<std::string, std::vector<std::string>> codes() {
        const std::lock_guard lock(mutex_);
        return codes_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::vector<std::string>> codes_;
};

TEST_CASE("every target is read on its interval and reported with its entity", "[tcp_poller]") {
    auto slave = start_polled_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    slave->add_meter(2, {testing::golden_mbus_frame("kamstrup-382")});
    std::uint16_t closed_port = 0;
    {
        auto gone = start_polled_slave();
        closed_port = gone->port();
    }
    const ManualClock clock(Timestamp{std::chrono::seconds(1'800'000'000)});
    Results results;
    TcpPoller poller({target("water", slave->host(), slave->port(), 1, 30ms),
                      target("power", slave->host(), slave->port(), 2, 30ms),
                      target("absent", slave->host(), slave->port(), 3, 30ms),
                      target("refused", "127.0.0.1", closed_port, 1, 30ms)},
                     poller_settings(), clock,
                     [&](const PollTarget& polled,
                         const Result<std::vector<DecodedTelegram>>& result, Timestamp when) {
                         if (polled.entity == "water" && result) {
                             CHECK(result->front().header.id == "12345678");
                         }
                         CHECK(when == clock.now());
                         results.add(polled, result);
                     });
    poller.start();
    REQUIRE(results.wait_for({"water", "power", "absent", "refused"}, 2));
    poller.stop();

    const auto codes = results.codes();
    for (const std::string& code : codes.at("water")) {
        CHECK(code.empty());
    }
    for (const std::string& code : codes.at("power")) {
        CHECK(code.empty());
    }
    for (const std::string& code : codes.at("absent")) {
        CHECK(code == "mbus.timeout");
    }
    for (const std::string& code : codes.at("refused")) {
        CHECK(code == "mbus.connect");
    }
    CHECK(slave->connections() == 1);  // the three meters of one endpoint share its connection
}

TEST_CASE("stop() interrupts a read in flight and reports nothing more", "[tcp_poller]") {
    auto slave = start_polled_slave();
    MasterSettings settings = poller_settings();
    settings.timeout = 20s;  // an absent meter: without the interruption, stop() would wait 40 s
    const SystemClock clock;
    Results results;
    TcpPoller poller(
        {target("absent", slave->host(), slave->port(), 7, 1h)}, settings, clock,
        [&](const PollTarget& polled, const Result<std::vector<DecodedTelegram>>& result,
            Timestamp) { results.add(polled, result); });
    poller.start();
    while (slave->requests().empty()) {
        std::this_thread::sleep_for(1ms);
    }
    const auto before = std::chrono::steady_clock::now();
    poller.stop();
    CHECK(std::chrono::steady_clock::now() - before < 10s);  // a bound on a hang, not on speed
    CHECK(results.codes().empty());
}

TEST_CASE("stop() wakes a poller waiting for the next interval", "[tcp_poller]") {
    auto slave = start_polled_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    const SystemClock clock;
    Results results;
    TcpPoller poller(
        {target("water", slave->host(), slave->port(), 1, 1h)}, poller_settings(), clock,
        [&](const PollTarget& polled, const Result<std::vector<DecodedTelegram>>& result,
            Timestamp) { results.add(polled, result); });
    poller.start();
    REQUIRE(results.wait_for({"water"}, 1));
    const auto before = std::chrono::steady_clock::now();
    poller.stop();
    CHECK(std::chrono::steady_clock::now() - before < 10min);  // not the hour of the interval
    CHECK(results.codes().at("water").size() == 1);
}

}  // namespace
}  // namespace passerelle::connectors::mbus
