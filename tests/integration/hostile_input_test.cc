// SPDX-License-Identifier: Apache-2.0
// Hostile input against the real gateway: each kind of bad message gets its defined behaviour (a
// dead letter with its reason, or a documented rule), and the gateway keeps working.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The code of the dead letter whose reason or payload mentions `marker`, or "".
std::string code_for(const GatewayHarness& h, const std::string& topic) {
    for (const auto& letter : h.dead_letters()) {
        const auto body = json::parse(letter.payload);
        if (body.value("topic", "") == topic) {
            return body.value("code", "");
        }
    }
    return "";
}

std::string temperature(const std::string& value_and_time) {
    return R"([{"n":"temperature","u":"Cel",)" + value_and_time + "}]";
}

}  // namespace

TEST_CASE("hostile messages are dead letters with their reason, and the gateway keeps working",
          "[hostile]") {
    GatewayHarness h;
    h.append_config("limits: {max_payload_bytes: 4096, source_rate: 5, source_burst: 30}\n");
    h.start_gateway();
    const auto topic = [](const std::string& entity) {
        return "telemetry/hs/" + entity + "/temperature";
    };
    h.publish_raw(topic("big"), temperature(R"("v":1,"vs":")" + std::string(5000, 'x') + "\""));
    h.publish_raw(topic("deep"), std::string(20, '[') + std::string(20, ']'));
    h.publish_raw(topic("utf8"), "[{\"n\":\"temperature\",\"vs\":\"\xff\xfe\"}]");
    h.publish_raw(topic("inf"), temperature(R"("v":1e999)"));
    h.publish_raw(topic("type"), temperature(R"("v":"chaud")"));
    h.publish_raw(topic("past"), temperature(R"("v":20,"t":946684800)"));  // a clock never set
    h.publish_raw(topic("d-1"), temperature(R"("v":20,"t":4102444800)"));  // year 2100
    h.sync();
    CHECK(code_for(h, topic("big")) == "payload.too-large");
    CHECK(code_for(h, topic("deep")) == "senml.too-deep");
    CHECK(code_for(h, topic("utf8")) == "senml.bad-json");
    CHECK(code_for(h, topic("inf")) == "senml.bad-json");
    CHECK(code_for(h, topic("type")) == "senml.bad-record");
    CHECK(code_for(h, topic("past")) == "reading.too-old");
    CHECK(code_for(h, topic("d-1")) == "reading.from-the-future");

    // One source flooding: beyond its burst, dropped and counted, one dead letter a minute.
    for (int i = 0; i < 100; ++i) {
        h.publish_raw("telemetry/flood/x/temperature", temperature(R"("v":1)"));
    }
    h.sync();  // another source: not held back by the flood
    std::size_t flood_letters = 0;
    for (const auto& letter : h.dead_letters()) {
        flood_letters += json::parse(letter.payload).value("code", "") == "source.rate-limited";
    }
    CHECK(flood_letters == 1);

    // Out of order: a reading older than the latest of its key is kept out of the rules, counted.
    h.publish_temperature("d-2", 10, 20.0);
    h.publish_temperature("d-2", 5, 35.0);
    h.publish_temperature("d-1", 0, 30.0);  // the gateway still evaluates and notifies
    h.publish_level(0, 3);
    h.publish_temperature("d-1", 11, 30.0);
    h.sync();
    const auto stats = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            if (m.topic != "passerelle/e2e/stats") {
                return false;
            }
            const auto body = json::parse(m.payload);
            return body.value("late_readings", 0) >= 1 && body.value("rate_limited", 0) >= 60;
        },
        10s);
    INFO(h.gateway_log());
    CHECK(stats.has_value());
    CHECK_FALSE(h.notifications().empty());
    REQUIRE(h.stop_gateway().success());
}
