// SPDX-License-Identifier: Apache-2.0
// `publish` actions: a live gateway sets a retained derived signal, and a rule listening to it
// fires from it, as replay and rule tests compute.
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

// Two rules chained by a derived signal (see the file's comment).
std::string rules_text() {
    std::ifstream file(PASSERELLE_SOURCE_DIR "/tests/data/rules/surchauffe-signal.yaml");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

double signal_value(const ReceivedMessage& message) {
    const auto pack = nlohmann::json::parse(message.payload);
    return pack.at(0).at("v").get<double>();
}

}  // namespace

TEST_CASE("a publish action sets a retained signal that other rules read", "[e2e][signal]") {
    GatewayHarness h;
    h.write_file("rules/chaud.yaml", rules_text());
    REQUIRE(h.observer().subscribe("signal/#").has_value());
    h.start_gateway();
    h.publish_temperature("d-1", 0, 31.5);
    const auto set = h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "signal/ville/surchauffe-d-1"; }, 20s);
    INFO(h.gateway_log());
    REQUIRE(set.has_value());
    CHECK(signal_value(*set) == 31.5);
    // The signal came back to the gateway and fired the rule listening to it.
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "notify/ccas/alerte-ville/surchauffe-d-1";
        },
        20s));

    // A newcomer subscribing later gets the signal at once, retained.
    auto late = TestClient::connect(h.broker().url());
    REQUIRE(late.has_value());
    REQUIRE((*late)->subscribe("signal/ville/#").has_value());
    const auto retained = (*late)->wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "signal/ville/surchauffe-d-1"; }, 20s);
    REQUIRE(retained.has_value());
    CHECK(retained->retained);

    // Resolved: the signal goes back to 0, and the second alert ends with it.
    h.publish_temperature("d-1", 5, 24.0);
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "signal/ville/surchauffe-d-1" && signal_value(m) == 0.0;
        },
        20s));
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "notify/ccas/alerte-ville/surchauffe-d-1" &&
                   m.payload.find("\"resolved\"") != std::string::npos;
        },
        20s));
}
