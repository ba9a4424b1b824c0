// SPDX-License-Identifier: Apache-2.0
// PahoBus against a real Mosquitto: connect, birth, subscriptions, stop and last words.
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/bus_test_helpers.h"

namespace passerelle::testing {
namespace {

bool payload_is(const ReceivedMessage& message, const std::string& payload) {
    return message.payload == payload;
}

TEST_CASE("bus connects and publishes its birth message retained", "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-birth");
    options.birth = bus::BusMessage{"passerelle/gw/status", "online", 1, true};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));
    CHECK(bus->connected());
    CHECK_FALSE(handler.last_session_present());  // a fresh broker has no session for us
    const Status again = bus->start();
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == "bus.already-started");

    // A client arriving later gets the birth as the retained status.
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/status").has_value());
    const auto messages = watcher->wait_for_messages(1, kEventTimeout);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "online");
    CHECK(messages[0].retained);
    const bus::BusStats stats = bus->stats();
    CHECK(stats.connects == 1);
    CHECK(stats.reconnects == 0);
}

TEST_CASE("bus receives QoS 1 messages on its subscriptions, in order", "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-receive");
    options.subscriptions = {{"in/#", 1}, {"other/+/x", 0}};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));

    auto sender = connect_client(*broker);
    wait_until_subscribed(*sender, handler, "in/probe");
    const std::size_t probes = handler.messages().size();
    constexpr int kCount = 200;
    for (int i = 0; i < kCount; ++i) {
        REQUIRE(sender->publish("in/sensor/" + std::to_string(i % 3), std::to_string(i), 1)
                    .has_value());
    }
    REQUIRE(sender->publish("other/a/x", "qos0", 0).has_value());
    const auto messages = handler.wait_for_messages(probes + kCount + 1, kEventTimeout);
    REQUIRE(messages.size() == probes + kCount + 1);
    for (int i = 0; i < kCount; ++i) {
        const bus::BusMessage& message = messages[probes + static_cast<std::size_t>(i)];
        CHECK(message.topic == "in/sensor/" + std::to_string(i % 3));
        CHECK(message.payload == std::to_string(i));
        CHECK(message.qos == 1);
        CHECK_FALSE(message.retained);
    }
    CHECK(messages.back().topic == "other/a/x");
    CHECK(messages.back().qos == 0);
    CHECK(bus->stats().received == messages.size());
}

TEST_CASE("bus delivers retained messages flagged as retained", "[bus]") {
    auto broker = start_broker();
    auto sender = connect_client(*broker);
    REQUIRE(sender->publish("config/gw", "{\"a\":1}", 1, true).has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-retained");
    options.subscriptions = {{"config/#", 1}};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    const auto messages = handler.wait_for_messages(1, kEventTimeout);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "{\"a\":1}");
    CHECK(messages[0].retained);
}

TEST_CASE("stop drains the queue, publishes last words and suppresses the Will", "[bus]") {
    auto broker = start_broker();
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/#").has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-stop");
    options.birth = bus::BusMessage{"passerelle/gw/status", "online", 1, true};
    options.will = bus::BusMessage{"passerelle/gw/status", "offline", 1, true};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "online"); },
                                      kEventTimeout));
    for (std::uint64_t id = 1; id <= 500; ++id) {
        REQUIRE(bus->publish({id, "passerelle/gw/data", std::to_string(id), 1, false}).has_value());
    }
    bus->stop(10s, bus::BusMessage{"passerelle/gw/status", "stopped", 1, true});
    // Everything queued before stop() was acknowledged before the last words.
    CHECK(handler.delivered().size() == 500);
    CHECK_FALSE(bus->connected());
    const Status refused = bus->publish({501, "passerelle/gw/data", "late", 1, false});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == "bus.stopped");
    bus->stop(1s, std::nullopt);  // a second stop is harmless

    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "stopped"); },
                                      kEventTimeout));
    // The broker handles one connection's packets in order and the bus's DISCONNECT was sent
    // before stop() returned: once this sentinel is back, a Will would have been seen.
    REQUIRE(watcher->publish("passerelle/gw/sentinel", "end", 1).has_value());
    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "end"); },
                                      kEventTimeout));
    for (const ReceivedMessage& message : watcher->messages()) {
        CHECK(message.payload != "offline");
    }
    auto late = connect_client(*broker);
    REQUIRE(late->subscribe("passerelle/gw/status").has_value());
    const auto retained = late->wait_for_messages(1, kEventTimeout);
    REQUIRE(retained.size() == 1);
    CHECK(retained[0].payload == "stopped");
    REQUIRE(handler.disconnect_reasons().size() == 1);
    CHECK(handler.disconnect_reasons()[0] == "stopped");
}

}  // namespace
}  // namespace passerelle::testing
