// SPDX-License-Identifier: Apache-2.0
// PahoBus publishing through its window: volume, exactly-once acks, order, bounds.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tests/support/bus_test_helpers.h"

namespace passerelle::testing {
namespace {

/// Publishes `count` tracked QoS 1 messages and checks that each is acknowledged exactly once,
/// that the window held, and that the subscriber got them all; prints the rate.
void publish_and_check(MosquittoOptions broker_options, std::size_t max_inflight,
                       std::size_t expected_window, const char* label) {
    auto broker = start_broker(std::move(broker_options));
    auto sink = connect_client(*broker);
    REQUIRE(sink->subscribe("load/#", 1).has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-load");
    options.max_inflight = max_inflight;
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));

    constexpr std::uint64_t kCount = 20000;
    const std::string payload(100, 'x');  // the size of a small SenML reading
    const auto begin = std::chrono::steady_clock::now();
    for (std::uint64_t id = 1; id <= kCount; ++id) {
        REQUIRE(
            bus->publish({id, "load/" + std::to_string(id % 16), payload, 1, false}).has_value());
    }
    REQUIRE(handler.wait_for_delivered(kCount, 60s));
    const auto elapsed = std::chrono::steady_clock::now() - begin;

    const auto delivered = handler.delivered();
    REQUIRE(delivered.size() == kCount);
    for (std::uint64_t id = 1; id <= kCount; ++id) {
        const auto it = delivered.find(id);
        REQUIRE(it != delivered.end());
        REQUIRE(it->second == 1);
    }
    const bus::BusStats stats = bus->stats();
    CHECK(stats.peak_inflight <= max_inflight);
    CHECK(stats.peak_inflight == expected_window);  // 20 000 queued at once: the window fills
    CHECK(stats.delivered == kCount);
    CHECK(stats.published == kCount);  // no reconnect, so nothing re-sent
    CHECK(stats.inflight == 0);
    CHECK(stats.queued == 0);
    CHECK(sink->wait_for_messages(kCount, 60s).size() == kCount);
    const double seconds = std::chrono::duration<double>(elapsed).count();
    fmt::print(stderr,
               "bus window ({}): {} QoS1 messages acknowledged in {:.3f} s ({:.0f} msg/s), "
               "peak in flight {}\n",
               label, kCount, seconds, static_cast<double>(kCount) / seconds, stats.peak_inflight);
    bus->stop(5s, std::nullopt);
}

TEST_CASE("20000 tracked QoS 1 messages: each acknowledged exactly once, window respected",
          "[bus]") {
    SECTION("broker accepting 1000 in flight: our window of 1000 is the limit") {
        MosquittoOptions broker;
        broker.extra_config = {"max_inflight_messages 1000"};
        publish_and_check(broker, 1000, 1000, "window 1000");
    }
    SECTION("stock Mosquitto: its Receive Maximum of 20 is the limit") {
        publish_and_check({}, 1000, 20, "Receive Maximum 20");
    }
}

TEST_CASE("a window of one keeps strict publish order at the subscriber", "[bus]") {
    auto broker = start_broker();
    auto sink = connect_client(*broker);
    REQUIRE(sink->subscribe("ordered/#", 1).has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-ordered");
    options.max_inflight = 1;
    auto bus = make_bus(options, handler);
    constexpr int kCount = 300;
    for (int i = 0; i < kCount; ++i) {  // queued before start: sent once connected
        REQUIRE(bus->publish({static_cast<std::uint64_t>(i + 1), "ordered/x", std::to_string(i), 1,
                              false})
                    .has_value());
    }
    REQUIRE(bus->start().has_value());
    const auto received = sink->wait_for_messages(kCount, kEventTimeout);
    REQUIRE(received.size() == kCount);
    for (int i = 0; i < kCount; ++i) {
        REQUIRE(received[static_cast<std::size_t>(i)].payload == std::to_string(i));
    }
    CHECK(bus->stats().peak_inflight == 1);
}

TEST_CASE("publish fails with bus.queue-full while disconnected and the queue is full", "[bus]") {
    Result<std::uint16_t> port = find_free_port();  // nobody listens there
    REQUIRE(port.has_value());
    RecordingBusHandler handler;
    bus::BusOptions options;
    options.url = fmt::format("tcp://127.0.0.1:{}", *port);
    options.client_id = "gw-full";
    options.reconnect_min = 50ms;
    options.reconnect_max = 200ms;
    options.max_queued = 100;
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    for (std::uint64_t id = 1; id <= 100; ++id) {
        REQUIRE(bus->publish({id, "q/x", "p", 1, false}).has_value());
    }
    const Status full = bus->publish({101, "q/x", "p", 1, false});
    REQUIRE_FALSE(full.has_value());
    CHECK(full.error().code == "bus.queue-full");
    CHECK(full.error().message == "outgoing queue full (100 messages); 'q/x' not queued");
    const bus::BusStats stats = bus->stats();
    CHECK(stats.queued == 100);
    CHECK(stats.dropped == 1);
    CHECK_FALSE(bus->connected());
    bus->stop(0ms, std::nullopt);  // returns at once: nothing to wait for without a broker
    CHECK(handler.delivered().empty());
}

}  // namespace
}  // namespace passerelle::testing
