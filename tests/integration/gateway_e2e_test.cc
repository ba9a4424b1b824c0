// SPDX-License-Identifier: Apache-2.0
// The real `passerelle run` against a real Mosquitto: readings in, notifications and dead letters out.
#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/core/clock.h"
#include "tests/integration/gateway_harness.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Readings that keep dwelling `d` at 29 °C for 15 minutes of a level-3 heatwave.
void heat(GatewayHarness& h, const std::string& d, int from = 0) {
    h.publish_level(from, 3);
    h.publish_temperature(d, from, 29.0);
    h.publish_temperature(d, from + 5, 29.2);
    h.publish_temperature(d, from + 10, 29.5);
    h.publish_temperature(d, from + 15, 29.4);
}

std::vector<json> bodies_for(const std::vector<ReceivedMessage>& messages, const std::string& topic) {
    std::vector<json> out;
    for (const auto& m : messages) {
        if (m.topic == topic) {
            out.push_back(json::parse(m.payload));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("a reading over threshold for the `for` duration notifies each recipient once",
          "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    heat(h, "d-1");
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-1"; }, 20s));
    h.sync();
    std::this_thread::sleep_for(1s);  // room for a duplicate to show up, were there one
    const auto messages = h.notifications();
    INFO(h.gateway_log());
    REQUIRE(messages.size() == 2);
    const auto ccas = bodies_for(messages, "notify/ccas/chaud/d-1");
    const auto landlord = bodies_for(messages, "notify/hs/chaud/d-1");
    REQUIRE(ccas.size() == 1);
    REQUIRE(landlord.size() == 1);
    const json& body = ccas[0];
    CHECK(body["rule"] == "chaud");
    CHECK(body["status"] == "firing");
    CHECK(body["key"] == "d-1");
    CHECK(body["entity"] == "d-1");
    CHECK(body["recipient"] == "ccas");
    CHECK(body["severity"] == "warning");
    CHECK(body["message"].get<std::string>().starts_with("Logement d-1 : 29"));
    CHECK(body["id"].get<std::string>().size() == 16);
    CHECK(body["id"] == landlord[0]["id"]);
    CHECK(body["started_at"] == body["ts"]);
    CHECK(landlord[0]["recipient"] == "hs");

    // Back below 26.5 °C: one resolved notice each, with the same alert id.
    h.publish_temperature("d-1", 30, 25.0);
    REQUIRE(h.observer().wait_for_messages(4, 20s).size() >= 4);
    h.sync();
    const auto resolved = bodies_for(h.notifications(), "notify/hs/chaud/d-1");
    REQUIRE(resolved.size() == 2);
    CHECK(resolved[1]["status"] == "resolved");
    CHECK(resolved[1]["id"] == body["id"]);
}

TEST_CASE("a dwelling that is not vulnerable is reported to its landlord only", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    heat(h, "d-2");
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-2"; }, 20s));
    h.sync();
    CHECK(h.notifications().size() == 1);
}

TEST_CASE("readings below the threshold notify nobody", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 30; minute += 5) {
        h.publish_temperature("d-1", minute, 27.9);
    }
    h.sync();
    std::this_thread::sleep_for(1s);  // the engine's clock ticks meanwhile: still nothing
    h.sync();
    CHECK(h.notifications().empty());
}

TEST_CASE("a malformed payload goes to the dead letter topic and the gateway keeps working",
          "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.publish_raw("telemetry/hs/d-1/temperature", R"([{"v":"chaud"}])");
    const auto dead = h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "passerelle/e2e/deadletter"; }, 20s);
    REQUIRE(dead.has_value());
    const auto body = json::parse(dead->payload);
    CHECK(body["topic"] == "telemetry/hs/d-1/temperature");
    CHECK(body["reason"] == "record 0: 'v' must be a number");
    CHECK(body["code"] == "senml.bad-record");
    CHECK(body["payload"] == R"([{"v":"chaud"}])");
    CHECK(h.gateway().running());
    heat(h, "d-2");
    CHECK(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-2"; }, 20s));
    // The dead letter is counted in the retained statistics.
    const auto stats = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   json::parse(m.payload)["notifications"].get<int>() >= 1;
        },
        20s);
    REQUIRE(stats.has_value());
    const auto figures = json::parse(stats->payload);
    CHECK(figures["dead_letters"] == 1);
    CHECK(figures["readings"].get<int>() >= 5);
    CHECK(figures["alerts_firing"] == 1);
}

TEST_CASE("after a broker restart the gateway reconnects and keeps notifying", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.publish_level(0, 3);
    h.sync();
    REQUIRE(h.broker().restart().has_value());
    h.reconnect_clients();
    // Back online: the gateway published its birth again to the broker that forgot it.
    const auto online = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/status" && m.payload == "online";
        },
        30s);
    INFO(h.gateway_log());
    REQUIRE(online.has_value());
    h.sync();  // its subscriptions are back too
    heat(h, "d-2", 20);
    CHECK(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-2"; }, 20s));
    CHECK(h.gateway().running());
}

TEST_CASE("readings published while the gateway is down are evaluated when it is back", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    const ExitStatus stopped = h.stop_gateway();
    CHECK(stopped.success());
    // The persistent session keeps the gateway's subscriptions while it is away.
    heat(h, "d-1");
    h.start_gateway();
    CHECK(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/ccas/chaud/d-1"; }, 20s));
}

TEST_CASE("the gateway's status is online while it runs and offline once stopped", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.observer().clear();
    CHECK(h.stop_gateway().success());
    const auto offline = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/status" && m.payload == "offline";
        },
        10s);
    CHECK(offline.has_value());
    INFO(h.gateway_log());
    CHECK(h.gateway_log().find("stopped:") != std::string::npos);
}

TEST_CASE("a notification the broker refuses goes to the dead letters", "[e2e]") {
    // Anonymous clients may not publish to notify/hs/#: the broker answers PUBACK "not authorized".
    char pattern[] = "/tmp/passerelle-acl.XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);
    const auto acl = dir / "acl";
    std::ofstream(acl) << "topic readwrite telemetry/#\ntopic readwrite signal/#\n"
                          "topic readwrite passerelle/#\ntopic readwrite notify/ccas/#\n"
                          "topic read notify/#\n";
    std::filesystem::permissions(dir, std::filesystem::perms::all);
    GatewayHarness h({"acl_file " + acl.string()});
    h.start_gateway();
    heat(h, "d-1");
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/ccas/chaud/d-1"; }, 20s));
    const auto refused = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/deadletter" &&
                   m.payload.find("notify/hs/chaud/d-1") != std::string::npos;
        },
        20s);
    INFO(h.gateway_log());
    REQUIRE(refused.has_value());
    const auto body = json::parse(refused->payload);
    CHECK(body["code"] == "notify.refused");
    CHECK(body["reason"].get<std::string>().starts_with("the broker refused the notification"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("readings from the future or from another party's entity are dead letters", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.publish_temperature("d-1", 24 * 60, 30.0);  // a day ahead of the gateway's clock
    h.publish_raw("telemetry/ccas/d-2/temperature", R"([{"n":"temperature","u":"Cel","v":30}])");
    h.sync();
    const auto letters = h.dead_letters();
    REQUIRE(letters.size() >= 3);
    const auto future = json::parse(letters[0].payload);
    CHECK(future["code"] == "reading.from-the-future");
    CHECK(future["reason"].get<std::string>().find("ahead of the gateway's clock") !=
          std::string::npos);
    const auto foreign = json::parse(letters[1].payload);
    CHECK(foreign["code"] == "topic.provider-mismatch");
    CHECK(foreign["reason"] == "entity 'd-2' belongs to 'hs' in the registry, not to 'ccas'");
}

TEST_CASE("an invalid rules file on SIGHUP is refused and the running rules keep firing", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.write_file("rules/chaud.yaml", "version: 1\nrules:\n  - id: chaud\n    lisen: x\n");
    REQUIRE(h.gateway().send_signal(SIGHUP).has_value());
    INFO(h.gateway_log());
    REQUIRE(h.gateway().wait_for_stderr("reload refused", 20s));
    CHECK(h.gateway_log().find("unknown key 'lisen' in a rule; did you mean 'listen'?") !=
          std::string::npos);
    heat(h, "d-2");
    CHECK(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-2"; }, 20s));
}

TEST_CASE("SIGHUP adds a rule on a new topic and keeps the alerts in progress", "[e2e]") {
    GatewayHarness h;
    h.start_gateway();
    h.publish_level(0, 3);
    h.publish_temperature("d-1", 2, 29.0);  // pending from minute 2
    h.sync();
    h.write_file("rules/humide.yaml", R"(version: 1
rules:
  - id: humide
    listen: telemetry/+/+/humidity
    when: value > 90
    actions:
      - notify: "{{provider}}"
        message: "Logement {{entity}} : {{value}} %RH"
)");
    h.observer().clear();
    REQUIRE(h.gateway().send_signal(SIGHUP).has_value());
    // The gateway reconnects with the new filters, then says it is online again.
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/status" && m.payload == "online";
        },
        20s));
    INFO(h.gateway_log());
    CHECK(h.gateway_log().find("reload: 2 rules, 1 unchanged kept 1 pending or firing alerts") !=
          std::string::npos);
    const passerelle::Reading humid{"hs", "d-1", "humidity", 95.0, "%RH",
                                    passerelle::SystemClock().now()};
    h.publish_raw(passerelle::canonical_topic(humid), passerelle::encode_senml(humid));
    CHECK(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/humide/d-1"; }, 20s));
    // The heat alert pending since minute 2 fires on its original schedule.
    const auto fired = h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-1"; }, 20s);
    REQUIRE(fired.has_value());
    CHECK(json::parse(fired->payload)["started_at"] == h.time_at(12));
}
