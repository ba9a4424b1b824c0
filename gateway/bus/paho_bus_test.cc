// SPDX-License-Identifier: Apache-2.0
// PahoBus decisions and option checks that need no broker.
#include "gateway/bus/paho_bus.h"

#include <catch2/catch.hpp>

#include "gateway/bus/bus.h"

namespace passerelle::bus {
namespace {

class NullHandler final : public BusHandler {
public:
    void on_message(BusMessage) override {}
    void on_connected(bool) override {}
    void on_disconnected(std::string) override {}
    void on_delivered(std::uint64_t) override {}
};

TEST_CASE("MQTT 5 refusals that trigger the 3.1.1 fallback", "[paho_bus]") {
    CHECK(is_protocol_version_refusal(1, 0));  // 3.1.1 CONNACK: unacceptable protocol version
    CHECK(is_protocol_version_refusal(-1, 1));
    CHECK(is_protocol_version_refusal(-1, 0x84));        // MQTT 5: unsupported protocol version
    CHECK_FALSE(is_protocol_version_refusal(-1, 0x87));  // not authorized
    CHECK_FALSE(is_protocol_version_refusal(5, 0));      // 3.1.1: not authorized
    CHECK_FALSE(is_protocol_version_refusal(-1, 0));     // TCP connect failed
}

TEST_CASE("permanent and passing publish errors", "[paho_bus]") {
    CHECK(is_permanent_publish_error(-5));         // bad UTF-8
    CHECK(is_permanent_publish_error(-9));         // bad QoS
    CHECK_FALSE(is_permanent_publish_error(-3));   // disconnected
    CHECK_FALSE(is_permanent_publish_error(-4));   // Paho's in-flight cap
    CHECK_FALSE(is_permanent_publish_error(-12));  // Paho's buffer cap
}

TEST_CASE("make_paho_bus rejects bad options", "[paho_bus]") {
    NullHandler handler;
    BusOptions options;
    options.client_id = "gw";

    SECTION("bad URL") {
        options.url = "http://x";
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-url");
    }
    SECTION("empty client id") {
        options.client_id.clear();
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "client_id must not be empty: the broker keeps our session under it");
    }
    SECTION("bad subscription filter") {
        options.subscriptions = {{"a/#/b", 1}};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
    }
    SECTION("wildcard in the will topic") {
        options.will = BusMessage{"status/+", "offline", 1, true};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
    }
    SECTION("back-off min above max") {
        options.reconnect_min = std::chrono::milliseconds{5000};
        options.reconnect_max = std::chrono::milliseconds{1000};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "reconnect back-off must satisfy 0 < min <= max (min 5000 ms, max 1000 ms)");
    }
}

TEST_CASE("an unstarted bus queues, validates and stops quietly", "[paho_bus]") {
    NullHandler handler;
    BusOptions options;
    options.client_id = "gw";
    options.max_queued = 2;
    auto made = make_paho_bus(options, handler);
    REQUIRE(made.has_value());
    Bus& bus = **made;
    CHECK_FALSE(bus.connected());
    CHECK(bus.publish({1, "a/b", "x", 1, false}).has_value());
    CHECK(bus.publish({2, "a/b", "y", 1, false}).has_value());
    const Status full = bus.publish({3, "a/b", "z", 1, false});
    REQUIRE_FALSE(full.has_value());
    CHECK(full.error().code == "bus.queue-full");
    const Status bad_topic = bus.publish({4, "a/+", "z", 1, false});
    REQUIRE_FALSE(bad_topic.has_value());
    CHECK(bad_topic.error().code == "bus.bad-message");
    const Status bad_qos = bus.publish({5, "a/b", "z", 3, false});
    REQUIRE_FALSE(bad_qos.has_value());
    CHECK(bad_qos.error().message == "QoS 3 for 'a/b' is not 0, 1 or 2");
    CHECK(bus.stats().queued == 2);
    CHECK(bus.stats().dropped == 1);
    bus.stop(std::chrono::milliseconds{0}, std::nullopt);
    bus.stop(std::chrono::milliseconds{0}, std::nullopt);  // idempotent
    const Status after = bus.publish({6, "a/b", "z", 1, false});
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().code == "bus.stopped");
    const Status restart = bus.start();
    REQUIRE_FALSE(restart.has_value());
    CHECK(restart.error().code == "bus.stopped");
}

}  // namespace
}  // namespace passerelle::bus
