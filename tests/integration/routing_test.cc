// SPDX-License-Identifier: Apache-2.0
// Routes against a real Mosquitto: a landlord's alerts gathered in one notice on its on-call
// desk's topic, a resolved notice for the group, and the audit log's row of each notice; groups
// kept across a restart, escalation and acknowledgement, inhibition, and the fallback desk.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gateway/store/store.h"
#include "tests/integration/gateway_harness.h"

using namespace passerelle;           // NOLINT(google-build-using-namespace)
using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The landlord's office never opens (no weekday): its on-call desk takes every notice, whatever
// the day the test runs. Which desk holds at which hour is tested on fixed dates by the example
// territory's rule tests (routage-canicule.test.yaml) and the unit tests.
const char* const kRouting = R"(routing:
  time_intervals:
    - {id: bureau-hs, weekdays: [], hours: ['08:30-17:30']}
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      group_interval: 1s
      receivers:
        - during: bureau-hs
        - {desk: astreinte, outside: bureau-hs}
)";

std::vector<json> bodies_on(const std::vector<ReceivedMessage>& messages,
                            const std::string& topic) {
    std::vector<json> bodies;
    for (const auto& message : messages) {
        if (message.topic == topic) {
            bodies.push_back(json::parse(message.payload));
        }
    }
    return bodies;
}

// Stops the gateway and reads its audit log.
std::vector<store::AuditRecord> stopped_audit(GatewayHarness& h) {
    h.stop_gateway();
    auto store = store::Store::open(h.data_dir());
    REQUIRE(store.has_value());
    auto rows = (*store)->audit().query({});
    REQUIRE(rows.has_value());
    return std::move(*rows);
}

}  // namespace

TEST_CASE("a route gathers a landlord's alerts in one notice to its on-call desk",
          "[e2e][routing]") {
    GatewayHarness h;
    h.append_config(kRouting);
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
        h.publish_temperature("d-2", minute, 29.0);
    }
    const std::string topic = "notify/hs/astreinte/chaud/chaud";
    INFO(h.gateway_log());
    REQUIRE(wait_for_topic(h.observer(), topic).has_value());
    h.sync();
    const auto firing = bodies_on(h.notifications(), topic);
    REQUIRE(firing.size() == 1);
    CHECK(firing[0]["status"] == "firing");
    CHECK(firing[0]["receiver"] == "hs/astreinte");
    CHECK(firing[0]["count"] == 2);
    REQUIRE(firing[0]["alerts"].size() == 2);
    CHECK(firing[0]["alerts"][0]["key"] == "d-1");
    CHECK(firing[0]["alerts"][1]["key"] == "d-2");
    // The CCAS has no route: its alert comes alone, on its own topic, as before.
    CHECK(bodies_on(h.notifications(), "notify/ccas/chaud/d-1").size() == 1);
    CHECK(bodies_on(h.notifications(), "notify/hs/chaud/d-1").empty());

    // Both cool down: one notice says so, for both.
    h.publish_temperature("d-1", 20, 25.0);
    h.publish_temperature("d-2", 20, 25.0);
    REQUIRE(h.observer().wait_for_message(
        [&](const ReceivedMessage& m) {
            return m.topic == topic && json::parse(m.payload)["status"] == "resolved";
        },
        20s));
    h.sync();
    // The two ends come in one notice, or in two when the gateway's tick fell between them.
    const auto notices = bodies_on(h.notifications(), topic);
    REQUIRE((notices.size() == 2 || notices.size() == 3));
    int ended = 0;
    for (std::size_t i = 1; i < notices.size(); ++i) {
        ended += notices[i]["resolved"].get<int>();
        CHECK(notices[i]["id"] == notices[0]["id"]);
    }
    CHECK(ended == 2);
    CHECK(notices.back()["status"] == "resolved");

    // Each notice is a row of the audit log, under the group's id.
    std::vector<std::string> landlord_notices;
    for (const auto& row : stopped_audit(h)) {
        if (row.what.recipient == "hs") {
            CHECK(row.what.alert_id == notices[0]["id"]);
            CHECK(row.what.topic == topic);
            landlord_notices.push_back(row.what.notice);
        }
    }
    REQUIRE(landlord_notices.size() == notices.size());
    for (std::size_t i = 0; i < notices.size(); ++i) {
        CHECK(landlord_notices[i] == "group-" + std::to_string(i + 1));
    }
}

TEST_CASE("alerts a route holds survive the gateway killed, and are sent after the restart",
          "[e2e][routing]") {
    GatewayHarness h;
    // The only desk never works: the group waits, held in the store.
    h.append_config(R"(routing:
  time_intervals:
    - {id: bureau-hs, weekdays: []}
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      receivers:
        - during: bureau-hs
)");
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
        h.publish_temperature("d-2", minute, 29.0);
    }
    h.sync();
    // The CCAS's own alert is out; the group's state is written with it or just after.
    REQUIRE(wait_for_topic(h.observer(), "notify/ccas/chaud/d-1").has_value());
    const auto held = h.observer().wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/stats" &&
                   json::parse(m.payload).value("route_groups", 0) == 1;
        },
        20s);
    INFO(h.gateway_log());
    REQUIRE(held.has_value());
    std::this_thread::sleep_for(500ms);  // the store's commit interval is 100 ms
    REQUIRE(h.gateway().send_signal(SIGKILL));
    h.gateway().wait_for(10s);
    CHECK(bodies_on(h.notifications(), "notify/hs/chaud/chaud").empty());

    // The office now works every day: the held alerts go out at once, in one notice.
    const auto config = h.data_dir().parent_path() / "passerelle.yaml";
    std::string text;
    {
        std::ifstream in(config);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const auto at = text.find("weekdays: []");
    REQUIRE(at != std::string::npos);
    text.replace(at, 12, "weekdays: monday-sunday");
    h.write_file("passerelle.yaml", text);
    h.start_gateway();
    const auto notice = wait_for_topic(h.observer(), "notify/hs/chaud/chaud");
    INFO(h.gateway_log());
    REQUIRE(notice.has_value());
    const auto body = json::parse(notice->payload);
    CHECK(body["count"] == 2);
    CHECK(body["notice"] == 1);
    CHECK(h.gateway_log().find("routes: 1 groups of the previous run resumed") !=
          std::string::npos);
}

TEST_CASE("unacknowledged, a notice escalates; an acknowledgement over MQTT is told and audited",
          "[e2e][routing]") {
    GatewayHarness h;
    // The readings are an hour old: the gateway's clock moves rule time past the first step at
    // once, and the second, 3 hours on, is never reached by the wall clock.
    h.append_config(R"(routing:
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      escalation:
        - {after: 10min, desk: direction}
        - {after: 3h, desk: elu}
)");
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-2", minute, 29.0);
    }
    const std::string office = "notify/hs/chaud/chaud";
    INFO(h.gateway_log());
    const auto first = wait_for_topic(h.observer(), office);
    REQUIRE(first.has_value());
    const auto escalated = wait_for_topic(h.observer(), "notify/hs/direction/chaud/chaud");
    REQUIRE(escalated.has_value());
    const auto step = json::parse(escalated->payload);
    CHECK(step["escalation"]["step"] == 1);
    CHECK(step["escalation"]["of"] == 2);
    const std::string id = json::parse(first->payload)["id"];

    // Taken in charge: the desk hears who, and the second step never comes.
    h.publish_raw("notify/hs/ack",
                  R"({"id": ")" + id + R"(", "by": "Mme Martin", "comment": "j'y vais"})");
    const auto told = h.observer().wait_for_message(
        [&](const ReceivedMessage& m) {
            return m.topic == office && json::parse(m.payload).contains("acknowledged");
        },
        20s);
    REQUIRE(told.has_value());
    const auto acknowledged = json::parse(told->payload)["acknowledged"];
    CHECK(acknowledged["by"] == "Mme Martin");
    CHECK(acknowledged["comment"] == "j'y vais");

    // An acknowledgement of nothing the recipient waits for is a dead letter, with why.
    h.publish_raw("notify/hs/ack", R"({"id": "0000000000000000", "by": "Mme Martin"})");
    h.publish_raw("notify/hs/ack", R"({"id": ")" + id + R"("})");
    h.sync();
    std::vector<std::string> codes;
    for (const auto& letter : h.dead_letters()) {
        const auto body = json::parse(letter.payload);
        if (body.value("topic", "") == "notify/hs/ack") {
            codes.push_back(body.value("code", ""));
        }
    }
    CHECK(codes == std::vector<std::string>{"ack.unknown-alert", "ack.no-author"});
    CHECK(bodies_on(h.notifications(), "notify/hs/elu/chaud/chaud").empty());

    // The audit log keeps each notice, the escalation's, and the acknowledgement.
    std::vector<std::string> landlord;
    for (const auto& row : stopped_audit(h)) {
        if (row.what.recipient == "hs" && row.what.alert_id == id) {
            landlord.push_back(row.what.notice.substr(0, 3) + " " + row.what.topic);
        }
    }
    // In the order of their acknowledgements by the broker, which need not be the order sent.
    std::sort(landlord.begin(), landlord.end());
    CHECK(landlord == std::vector<std::string>{"ack notify/hs/ack", "gro notify/hs/chaud/chaud",
                                               "gro notify/hs/chaud/chaud",
                                               "gro notify/hs/direction/chaud/chaud"});
}

TEST_CASE("an inhibition leaves the muted alerts out of the notices until its source ends",
          "[e2e][routing]") {
    GatewayHarness h;
    // d-1's alert stands for a cause (a substation's fault) that explains d-2's.
    h.append_config(R"(routing:
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      group_interval: 1s
  inhibit:
    - source: {key: d-1}
      target: {rule: chaud}
)");
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
        h.publish_temperature("d-2", minute, 29.0);
    }
    const std::string topic = "notify/hs/chaud/chaud";
    INFO(h.gateway_log());
    const auto first = wait_for_topic(h.observer(), topic);
    REQUIRE(first.has_value());
    const auto body = json::parse(first->payload);
    CHECK(body["count"] == 1);
    CHECK(body["alerts"][0]["key"] == "d-1");

    // The cause ends, d-2 is still too hot: it is told now.
    h.publish_temperature("d-1", 20, 25.0);
    const auto released = h.observer().wait_for_message(
        [&](const ReceivedMessage& m) {
            if (m.topic != topic) {
                return false;
            }
            const auto notice = json::parse(m.payload);
            return std::any_of(notice["alerts"].begin(), notice["alerts"].end(),
                               [](const json& alert) { return alert["key"] == "d-2"; });
        },
        20s);
    REQUIRE(released.has_value());
    const auto notice = json::parse(released->payload);
    CHECK(notice["status"] == "firing");
    CHECK(notice["firing"] == 1);
}

TEST_CASE(
    "a notice whose desk holds no session goes to the fallback desk; a connected desk's "
    "does not",
    "[e2e][routing]") {
    GatewayHarness h;
    // The readings are an hour old: the gateway's clock moves rule time past the 10 minutes at
    // once.
    h.append_config(R"(routing:
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      group_interval: 1s
      fallback: {desk: secours, after: 10min}
)");
    h.start_gateway();
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
    }
    const std::string office = "notify/hs/chaud/chaud";
    const std::string secours = "notify/hs/secours/chaud/chaud";
    INFO(h.gateway_log());
    const auto first = wait_for_topic(h.observer(), office);
    REQUIRE(first.has_value());
    // Nobody of the landlord ever said it was connected.
    const auto fallback = wait_for_topic(h.observer(), secours);
    REQUIRE(fallback.has_value());
    const auto body = json::parse(fallback->payload);
    CHECK(body["id"] == json::parse(first->payload)["id"]);
    CHECK(body["receiver"] == "hs/secours");
    CHECK(body["fallback"]["for"] == "hs");
    CHECK(body["fallback"]["reason"] == "no-session");
    CHECK(body["count"] == 1);

    // The landlord's client connects: d-2's notice reaches it, and nothing more goes to secours.
    h.publish_raw("notify/hs/presence", "online");
    h.sync();
    for (int minute = 20; minute <= 35; minute += 5) {
        h.publish_temperature("d-2", minute, 29.0);
    }
    REQUIRE(h.observer().wait_for_message(
        [&](const ReceivedMessage& m) {
            return m.topic == office && json::parse(m.payload)["count"] == 2;
        },
        20s));
    CHECK_FALSE(h.observer().wait_for_message(
        [&](const ReceivedMessage& m) {
            return m.topic == secours && json::parse(m.payload)["count"] == 2;
        },
        5s));
    h.sync();
    CHECK(bodies_on(h.notifications(), secours).size() == 1);

    // The fallback copy is a row of the audit log of its own.
    std::vector<std::string> fallbacks;
    for (const auto& row : stopped_audit(h)) {
        if (row.what.topic == secours) {
            fallbacks.push_back(row.what.notice);
        }
    }
    CHECK(fallbacks == std::vector<std::string>{"group-1-fallback"});
    CHECK(h.gateway_log().find("hs did not get the notice of chaud chaud") != std::string::npos);
}

TEST_CASE("a notice the broker refuses goes to the fallback desk at once", "[e2e][routing]") {
    // Anonymous clients may not publish to the landlord's own desk: the broker answers PUBACK
    // "not authorized" to the gateway's notice there.
    char pattern[] = "/tmp/passerelle-acl.XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);
    const auto acl = dir / "acl";
    std::ofstream(acl)
        << "topic readwrite telemetry/#\ntopic readwrite signal/#\n"
           "topic readwrite passerelle/#\ntopic readwrite notify/ccas/#\n"
           "topic readwrite notify/hs/secours/#\ntopic readwrite notify/hs/presence\n"
           "topic read notify/#\n";
    std::filesystem::permissions(dir, std::filesystem::perms::all);
    GatewayHarness h({"acl_file " + acl.string()});
    h.append_config(R"(routing:
  routes:
    - recipient: hs
      group_by: [rule]
      group_wait: 1s
      fallback: {desk: secours, after: 3h}
)");
    h.start_gateway();
    h.publish_raw("notify/hs/presence", "online");
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
    }
    INFO(h.gateway_log());
    const auto fallback = wait_for_topic(h.observer(), "notify/hs/secours/chaud/chaud");
    REQUIRE(fallback.has_value());
    const auto body = json::parse(fallback->payload);
    CHECK(body["fallback"]["for"] == "hs");
    CHECK(body["fallback"]["reason"] == "refused");
    CHECK(body["alerts"][0]["key"] == "d-1");
    // The refusal itself is a dead letter, as any refused notification.
    h.sync();
    bool dead_lettered = false;
    for (const auto& letter : h.dead_letters()) {
        const auto letter_body = json::parse(letter.payload);
        dead_lettered |= letter_body.value("topic", "") == "notify/hs/chaud/chaud" &&
                         letter_body.value("code", "") == "notify.refused";
    }
    CHECK(dead_lettered);
    std::filesystem::remove_all(dir);
}
