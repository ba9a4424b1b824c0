// SPDX-License-Identifier: Apache-2.0
// PahoBus when the broker goes away: reconnect, resubscribe, re-send, persistent session.
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/bus_test_helpers.h"

namespace passerelle::testing {
namespace {

std::size_t count_topic(const std::vector<bus::BusMessage>& messages, const std::string& topic) {
    std::size_t count = 0;
    for (const auto& message : messages) {
        count += message.topic == topic ? 1 : 0;
    }
    return count;
}

TEST_CASE("after a broker restart the bus reconnects, resubscribes and sends what was queued",
          "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-restart");
    // The bus listens to its own loop/ topic: what it queued while the broker was down comes back
    // only if both the resubscription and the re-send work.
    options.subscriptions = {{"loop/#", 1}, {"cmd/#", 1}};
    options.birth = bus::BusMessage{"passerelle/gw/status", "online", 1, true};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));
    {
        auto client = connect_client(*broker);
        wait_until_subscribed(*client, handler, "cmd/probe");
    }

    broker->stop();
    REQUIRE(handler.wait_for_disconnects(1, kEventTimeout));
    CHECK_FALSE(bus->connected());
    constexpr std::uint64_t kDown = 50;
    for (std::uint64_t id = 1; id <= kDown; ++id) {
        REQUIRE(bus->publish({id, "loop/down", std::to_string(id), 1, false}).has_value());
    }
    CHECK(bus->stats().queued == kDown);

    REQUIRE(broker->restart().has_value());
    REQUIRE(handler.wait_for_connects(2, kEventTimeout));
    CHECK_FALSE(handler.last_session_present());  // the broker restarted without persistence
    REQUIRE(handler.wait_for_delivered(kDown, kEventTimeout));
    std::vector<bus::BusMessage> seen;
    const auto deadline = std::chrono::steady_clock::now() + kEventTimeout;
    while (count_topic(seen, "loop/down") < kDown && std::chrono::steady_clock::now() < deadline) {
        seen = handler.wait_for_messages(handler.messages().size() + 1, 200ms);
    }
    CHECK(count_topic(seen, "loop/down") == kDown);

    // Both directions work on the new connection.
    auto client = connect_client(*broker);
    REQUIRE(client->subscribe("out/#").has_value());
    REQUIRE(bus->publish({1000, "out/after", "hello", 1, false}).has_value());
    const auto out = client->wait_for_messages(1, kEventTimeout);
    REQUIRE(out.size() == 1);
    CHECK(out[0].payload == "hello");
    REQUIRE(client->publish("cmd/after", "ping", 1).has_value());
    REQUIRE(handler.wait_for_messages(1, 0ms).size() >= 1);
    bool got_ping = false;
    const auto ping_deadline = std::chrono::steady_clock::now() + kEventTimeout;
    while (!got_ping && std::chrono::steady_clock::now() < ping_deadline) {
        const auto messages = handler.wait_for_messages(handler.messages().size() + 1, 200ms);
        got_ping = count_topic(messages, "cmd/after") == 1;
    }
    CHECK(got_ping);

    // The birth was published again on the new connection (the restarted broker forgot it).
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/status").has_value());
    const auto status = watcher->wait_for_messages(1, kEventTimeout);
    REQUIRE(status.size() == 1);
    CHECK(status[0].payload == "online");
    const bus::BusStats stats = bus->stats();
    CHECK(stats.reconnects == 1);
}

TEST_CASE("broker killed mid-burst: every tracked message is acknowledged exactly once", "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-kill");
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));
    constexpr std::uint64_t kCount = 20000;
    for (std::uint64_t id = 1; id <= kCount; ++id) {
        REQUIRE(bus->publish({id, "burst/x", std::to_string(id), 1, false}).has_value());
    }
    REQUIRE(handler.wait_for_delivered(1000, kEventTimeout));
    broker->kill();
    REQUIRE(broker->restart().has_value());
    REQUIRE(handler.wait_for_delivered(kCount, 60s));
    const auto delivered = handler.delivered();
    REQUIRE(delivered.size() == kCount);
    for (const auto& [id, times] : delivered) {
        INFO("id " << id);
        REQUIRE(times == 1);
    }
    const bus::BusStats stats = bus->stats();
    CHECK(stats.delivered == kCount);
    CHECK(stats.inflight == 0);
    CHECK(stats.queued == 0);
    CHECK(stats.peak_inflight <= options.max_inflight);
    INFO("resent " << stats.resent << ", published " << stats.published);
    if (handler.disconnects() > 0) {
        CHECK(stats.reconnects >= 1);
    }
}

TEST_CASE("persistent session: messages sent while the bus was stopped arrive on restart",
          "[bus]") {
    auto broker = start_broker();
    auto options = bus_options(*broker, "gw-session");
    options.subscriptions = {{"notify/#", 1}};
    {
        RecordingBusHandler handler;
        auto bus = make_bus(options, handler);
        REQUIRE(bus->start().has_value());
        REQUIRE(handler.wait_for_connects(1, kEventTimeout));
        auto client = connect_client(*broker);
        wait_until_subscribed(*client, handler, "notify/probe");
        bus->stop(5s, std::nullopt);
    }
    auto sender = connect_client(*broker);
    constexpr int kCount = 30;
    for (int i = 0; i < kCount; ++i) {
        REQUIRE(
            sender->publish("notify/ccas/" + std::to_string(i), std::to_string(i), 1).has_value());
    }

    RecordingBusHandler handler;
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));
    CHECK(handler.last_session_present());
    const auto messages = handler.wait_for_messages(kCount, kEventTimeout);
    REQUIRE(messages.size() == kCount);
    for (int i = 0; i < kCount; ++i) {
        CHECK(messages[static_cast<std::size_t>(i)].payload == std::to_string(i));
    }
}

}  // namespace
}  // namespace passerelle::testing
