// SPDX-License-Identifier: Apache-2.0
// The master against an in-process slave on a loopback socket: real frames, injected faults.
#include "connectors/mbus/tcp_master.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "connectors/mbus/request_frames.h"
#include "tests/support/mbus_golden.h"
#include "tests/support/mbus_slave.h"

namespace passerelle::connectors::mbus {
namespace {

using namespace std::chrono_literals;
using testing::MbusBytes;
using testing::MbusSlave;

MbusBytes bytes_of(const ShortFrame& frame) {
    return {frame.begin(), frame.end()};
}

// Short enough for fast tests, long enough for a loaded machine to answer in time.
MasterSettings test_settings() {
    MasterSettings settings;
    settings.timeout = 200ms;
    settings.attempts = 3;
    settings.retry_pause = 20ms;
    return settings;
}

std::unique_ptr<MbusSlave> start_slave() {
    auto slave = MbusSlave::start();
    REQUIRE(slave.has_value());
    return std::move(*slave);
}

TEST_CASE("a meter is read with SND_NKE then REQ_UD2", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(5, {testing::golden_mbus_frame("kamstrup-382")});
    TcpMaster master(slave->host(), slave->port(), test_settings());

    auto telegrams = master.read_meter(5);
    REQUIRE(telegrams.has_value());
    REQUIRE(telegrams->size() == 1);
    CHECK(telegrams->front().a == 5);
    CHECK(telegrams->front().header.id == "14839120");
    CHECK_FALSE(telegrams->front().records.empty());
    CHECK(slave->requests() ==
          std::vector<MbusBytes>{bytes_of(snd_nke(5)), bytes_of(req_ud2(5, true))});

    auto frames = master.read_frames(5);  // same connection, a second full cycle
    REQUIRE(frames.has_value());
    REQUIRE(frames->size() == 1);
    CHECK(frames->front() == testing::finish_long_frame([] {
              MbusBytes frame = testing::golden_mbus_frame("kamstrup-382");
              frame[5] = 5;
              return frame;
          }()));
    CHECK(slave->connections() == 1);
}

TEST_CASE("an answer arriving byte by byte is read whole", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    slave->set_chunk_size(1);
    MasterSettings settings = test_settings();
    settings.timeout = 2s;  // 37 one-byte segments a millisecond apart
    TcpMaster master(slave->host(), slave->port(), settings);

    auto telegrams = master.read_meter(1);
    REQUIRE(telegrams.has_value());
    REQUIRE(telegrams->size() == 1);
    CHECK(telegrams->front().header.id == "12345678");
}

TEST_CASE("a slow answer within the timeout is read", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    slave->set_answer_delay(30ms);
    MasterSettings settings = test_settings();
    settings.timeout = 1s;
    TcpMaster master(slave->host(), slave->port(), settings);
    CHECK(master.read_meter(1).has_value());
}

TEST_CASE("a damaged answer is asked for again with the same FCB", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(2, {testing::golden_mbus_frame("mbus-com-example")});
    slave->corrupt_next_answer();
    TcpMaster master(slave->host(), slave->port(), test_settings());

    auto telegrams = master.read_meter(2);
    REQUIRE(telegrams.has_value());
    CHECK(telegrams->size() == 1);
    CHECK(slave->requests() == std::vector<MbusBytes>{bytes_of(snd_nke(2)),
                                                      bytes_of(req_ud2(2, true)),
                                                      bytes_of(req_ud2(2, true))});
}

TEST_CASE("an absent meter times out after every attempt", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    MasterSettings settings = test_settings();
    settings.timeout = 150ms;
    TcpMaster master(slave->host(), slave->port(), settings);

    auto telegrams = master.read_meter(7);
    REQUIRE_FALSE(telegrams.has_value());
    CHECK(telegrams.error().code == "mbus.timeout");
    CHECK(telegrams.error().message ==
          fmt::format("no answer from primary address 7 at 127.0.0.1:{} within 150ms after 3 "
                      "attempts",
                      slave->port()));
    CHECK(slave->requests().size() == 3);     // SND_NKE three times, then the master gave up
    CHECK(master.read_meter(1).has_value());  // the connection is still good for the others
}

TEST_CASE("a meter that keeps answering badly gives its decoder's message", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(5, {testing::golden_mbus_frame("bad-unknown-ci")});
    MasterSettings settings = test_settings();
    settings.attempts = 2;
    TcpMaster master(slave->host(), slave->port(), settings);

    auto telegrams = master.read_meter(5);
    REQUIRE_FALSE(telegrams.has_value());
    CHECK(telegrams.error().code == "mbus.bad-answer");
    CHECK(telegrams.error().message ==
          fmt::format("bad answer from primary address 5 at 127.0.0.1:{} after 2 attempts: "
                      "unknown CI field 0x51 at byte 6",
                      slave->port()));
}

TEST_CASE("a refused connection is an mbus.connect error", "[tcp_master]") {
    std::uint16_t port = 0;
    {
        auto slave = start_slave();
        port = slave->port();
    }  // nothing listens there any more
    MasterSettings settings = test_settings();
    settings.attempts = 2;
    TcpMaster master("127.0.0.1", port, settings);

    auto telegrams = master.read_meter(1);
    REQUIRE_FALSE(telegrams.has_value());
    CHECK(telegrams.error().code == "mbus.connect");
    CHECK(telegrams.error().message ==
          fmt::format("cannot connect to 127.0.0.1:{}: Connection refused", port));
}

TEST_CASE("a host name is resolved, an unknown one is an mbus.connect error", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(1, {testing::golden_mbus_frame("mbus-com-example")});
    TcpMaster by_name("localhost", slave->port(), test_settings());
    CHECK(by_name.read_meter(1).has_value());

    MasterSettings settings = test_settings();
    settings.attempts = 1;
    TcpMaster unknown("no-such-host.invalid", slave->port(), settings);
    auto telegrams = unknown.read_meter(1);
    REQUIRE_FALSE(telegrams.has_value());
    CHECK(telegrams.error().code == "mbus.connect");
    CHECK_THAT(telegrams.error().message,
               Catch::StartsWith(
                   fmt::format("cannot connect to no-such-host.invalid:{}: ", slave->port())));
}

TEST_CASE("a dropped connection is made again", "[tcp_master]") {
    auto slave = start_slave();
    slave->add_meter(3, {testing::golden_mbus_frame("mbus-com-example")});
    TcpMaster master(slave->host(), slave->port(), test_settings());
    REQUIRE(master.read_meter(3).has_value());

    SECTION("during a request") {
        slave->drop_connection_on_next_request();
        CHECK(master.read_meter(3).has_value());
    }
    SECTION("between two reads") {
        slave->disconnect();
        CHECK(master.read_meter(3).has_value());
    }
    CHECK(slave->connections() == 2);
}

TEST_CASE("telegrams ending with DIF 0x1F are followed with FCB toggled", "[tcp_master]") {
    auto slave = start_slave();
    MbusBytes first =
        testing::golden_mbus_frame("abb-delta-electricity");  // its last record is DIF 0x1F
    MbusBytes second = testing::golden_mbus_frame("mbus-com-example");
    slave->add_meter(9, {first, second});
    TcpMaster master(slave->host(), slave->port(), test_settings());

    auto telegrams = master.read_meter(9);
    REQUIRE(telegrams.has_value());
    REQUIRE(telegrams->size() == 2);
    CHECK((*telegrams)[0].more_records_follow);
    CHECK_FALSE((*telegrams)[1].more_records_follow);
    CHECK((*telegrams)[1].header.id == "12345678");
    CHECK(slave->requests() == std::vector<MbusBytes>{bytes_of(snd_nke(9)),
                                                      bytes_of(req_ud2(9, true)),
                                                      bytes_of(req_ud2(9, false))});

    SECTION("a damaged second telegram is asked for again, not skipped") {
        slave->corrupt_next_answer(1);
        auto again = master.read_meter(9);
        REQUIRE(again.has_value());
        REQUIRE(again->size() == 2);
        CHECK((*again)[1].header.id == "12345678");
        const std::vector<MbusBytes> requests = slave->requests();
        CHECK(std::vector<MbusBytes>(requests.begin() + 3, requests.end()) ==
              std::vector<MbusBytes>{bytes_of(snd_nke(9)), bytes_of(req_ud2(9, true)),
                                     bytes_of(req_ud2(9, false)), bytes_of(req_ud2(9, false))});
    }
    SECTION("a meter that never stops sending more is cut off") {
        slave->add_meter(9, {first});
        MasterSettings settings = test_settings();
        settings.max_telegrams = 3;
        TcpMaster bounded(slave->host(), slave->port(), settings);
        auto endless = bounded.read_meter(9);
        REQUIRE_FALSE(endless.has_value());
        CHECK(endless.error().code == "mbus.too-many-telegrams");
    }
}

TEST_CASE("addresses that cannot be read are refused without a request", "[tcp_master]") {
    TcpMaster master("127.0.0.1", 1, test_settings());
    for (const std::uint8_t address :
         {std::uint8_t{251}, kNetworkLayerAddress, kBroadcastAddress}) {
        auto telegrams = master.read_meter(address);
        REQUIRE_FALSE(telegrams.has_value());
        CHECK(telegrams.error().code == "mbus.bad-address");
    }
}

TEST_CASE("cancel() ends a wait at once and every later read", "[tcp_master]") {
    auto slave = start_slave();
    MasterSettings settings = test_settings();
    settings.timeout = 30s;  // without cancel, this test would last minutes
    TcpMaster master(slave->host(), slave->port(), settings);

    std::thread canceller([&] {
        while (slave->requests().empty()) {
            std::this_thread::sleep_for(1ms);
        }
        master.cancel();
    });
    auto telegrams = master.read_meter(7);
    canceller.join();
    REQUIRE_FALSE(telegrams.has_value());
    CHECK(telegrams.error().code == "mbus.cancelled");
    auto later = master.read_meter(7);
    REQUIRE_FALSE(later.has_value());
    CHECK(later.error().code == "mbus.cancelled");
}

}  // namespace
}  // namespace passerelle::connectors::mbus
