// SPDX-License-Identifier: Apache-2.0
// Catch2 helpers shared by the bus integration tests: a broker per test, bus options, waits.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "gateway/bus/bus.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/recording_bus_handler.h"
#include "tests/support/test_client.h"

namespace passerelle::testing {

using namespace std::chrono_literals;

/// Generous bounds: they only matter when something is broken, and a loaded 2-core CI machine
/// must not turn a slow pass into a failure.
inline constexpr std::chrono::milliseconds kEventTimeout{15000};

inline std::unique_ptr<MosquittoProcess> start_broker(MosquittoOptions options = {}) {
    Result<std::unique_ptr<MosquittoProcess>> broker = MosquittoProcess::start(std::move(options));
    if (!broker) {
        FAIL(broker.error().message);
    }
    return std::move(*broker);
}

inline std::unique_ptr<TestClient> connect_client(const MosquittoProcess& broker,
                                                  TestClientOptions options = {}) {
    Result<std::unique_ptr<TestClient>> client = TestClient::connect(broker.url(), options);
    if (!client) {
        FAIL(client.error().message);
    }
    return std::move(*client);
}

/// Options for a bus on this broker, with quick reconnects so that tests do not wait long.
inline bus::BusOptions bus_options(const MosquittoProcess& broker, std::string client_id) {
    bus::BusOptions options;
    options.url = broker.url();
    options.client_id = std::move(client_id);
    options.reconnect_min = 100ms;
    options.reconnect_max = 1000ms;
    options.keep_alive = std::chrono::seconds{10};
    return options;
}

inline std::unique_ptr<bus::Bus> make_bus(bus::BusOptions options, bus::BusHandler& handler) {
    Result<std::unique_ptr<bus::Bus>> made = bus::make_paho_bus(std::move(options), handler);
    if (!made) {
        FAIL(made.error().message);
    }
    return std::move(*made);
}

/// The bus asks for its subscriptions when it connects, but the SUBACK may come after another
/// client's PUBLISH: publish probes on `topic` until the bus has seen one.
inline void wait_until_subscribed(TestClient& client, RecordingBusHandler& handler,
                                  const std::string& topic) {
    const auto deadline = std::chrono::steady_clock::now() + kEventTimeout;
    const std::size_t before = handler.messages().size();
    while (std::chrono::steady_clock::now() < deadline) {
        REQUIRE(client.publish(topic, "probe", 1).has_value());
        if (handler.wait_for_messages(before + 1, 100ms).size() > before) {
            return;
        }
    }
    FAIL("the bus never received a probe on " << topic);
}

}  // namespace passerelle::testing
