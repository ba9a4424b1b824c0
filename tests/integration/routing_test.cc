// SPDX-License-Identifier: Apache-2.0
// Routes against a real Mosquitto: a landlord's alerts gathered in one notice on its on-call
// desk's topic, a resolved notice for the group, and the audit log's row of each notice.
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
    h.stop_gateway();
    auto store = store::Store::open(h.data_dir());
    REQUIRE(store.has_value());
    const auto rows = (*store)->audit().query({});
    REQUIRE(rows.has_value());
    std::vector<std::string> landlord_notices;
    for (const auto& row : *rows) {
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
