// SPDX-License-Identifier: Apache-2.0
// The sharing agreements at run time, against a real Mosquitto: what each recipient's copy of a
// heatwave alert carries, what the audit log says allowed it, and an action stopped for want of
// a current agreement.
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/store/store.h"
#include "tests/integration/gateway_harness.h"

using namespace passerelle;           // NOLINT(google-build-using-namespace)
using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Dwelling d-1, vulnerable by the CCAS's register, at 29 °C for 15 minutes of a level-3 heatwave.
void heat(GatewayHarness& h) {
    h.publish_level(0, 3);
    for (int minute = 0; minute <= 15; minute += 5) {
        h.publish_temperature("d-1", minute, 29.0);
    }
}

const ReceivedMessage* find(const std::vector<ReceivedMessage>& messages,
                            const std::string& topic) {
    for (const auto& message : messages) {
        if (message.topic == topic) {
            return &message;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE(
    "the landlord's copy of a heatwave alert has no personal data, the CCAS's has the "
    "register's flag, and the audit names the agreements",
    "[e2e][sharing]") {
    GatewayHarness h;
    h.start_gateway();
    heat(h);
    REQUIRE(h.observer().wait_for_messages(2, 20s).size() >= 2);
    h.sync();
    const auto messages = h.notifications();
    INFO(h.gateway_log());
    const ReceivedMessage* ccas = find(messages, "notify/ccas/chaud/d-1");
    const ReceivedMessage* landlord = find(messages, "notify/hs/chaud/d-1");
    REQUIRE(ccas != nullptr);
    REQUIRE(landlord != nullptr);
    CHECK(json::parse(ccas->payload)["attributes"] == json{{"vulnerable", true}});
    CHECK(landlord->payload.find("vulnerable") == std::string::npos);
    CHECK_FALSE(json::parse(landlord->payload).contains("attributes"));

    // Delivered, hence audited: the CCAS's copy carried the landlord's and the town's data.
    h.stop_gateway();
    auto store = store::Store::open(h.data_dir());
    REQUIRE(store.has_value());
    const auto rows = (*store)->audit().query({});
    REQUIRE(rows.has_value());
    std::map<std::string, std::optional<std::string>> agreement_by_recipient;
    for (const auto& row : *rows) {
        agreement_by_recipient[row.what.recipient] = row.agreement;
        // Whose data it carried: the landlord's temperature and the town's heatwave level, and
        // for the CCAS its own flag.
        CHECK(row.what.providers == (row.what.recipient == "ccas"
                                         ? std::vector<std::string>{"hs", "ville", "ccas"}
                                         : std::vector<std::string>{"hs", "ville"}));
    }
    CHECK(agreement_by_recipient.at("ccas") == "canicule-ccas, signaux-ville");
    CHECK(agreement_by_recipient.at("hs") == "signaux-ville");
}

TEST_CASE("an agreement that has not started stops the CCAS's notifications, and says so",
          "[e2e][sharing]") {
    GatewayHarness h;
    // The landlord's agreement with the CCAS starts in two days.
    const auto config = h.data_dir().parent_path() / "passerelle.yaml";
    std::string text = read_file(config);
    const std::string starts =
        format_utc(std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()) +
                   std::chrono::hours(48))
            .substr(0, 10);
    const std::string plain = "purpose: plan canicule}";
    REQUIRE(text.find(plain) != std::string::npos);
    text.replace(text.find(plain), plain.size(),
                 "purpose: plan canicule, valid_from: " + starts + "}");
    h.write_file("passerelle.yaml", text);
    auto stats = TestClient::connect(h.broker().url());
    REQUIRE(stats.has_value());
    REQUIRE((*stats)->subscribe("passerelle/e2e/stats").has_value());

    h.start_gateway();
    heat(h);
    REQUIRE(h.observer().wait_for_message(
        [](const ReceivedMessage& m) { return m.topic == "notify/hs/chaud/d-1"; }, 20s));
    h.sync();
    INFO(h.gateway_log());
    CHECK(find(h.notifications(), "notify/ccas/chaud/d-1") == nullptr);
    CHECK(h.gateway_log().find(fmt::format(
              "rule 'chaud': action 1 no longer reaches ccas: it would carry hs's temperature of "
              "d-1, and the agreement 'canicule-ccas' starts on {}",
              starts)) != std::string::npos);
    const auto disabled = (*stats)->wait_for_message(
        [](const ReceivedMessage& m) {
            return json::parse(m.payload).value("notifications_without_agreement", 0) > 0;
        },
        10s);
    REQUIRE(disabled.has_value());
    const json actions = json::parse(disabled->payload)["disabled_actions"];
    REQUIRE(actions.size() == 1);
    CHECK(actions[0]["rule"] == "chaud");
    CHECK(actions[0]["recipient"] == "ccas");
    CHECK(actions[0]["reason"] == "not-started");
    CHECK(actions[0]["agreement"] == "canicule-ccas");
    CHECK(json::parse(disabled->payload)["agreements"] ==
          json{{"in_force", 2}, {"ended", json::array()}, {"not_started", {"canicule-ccas"}}});
    CHECK(h.gateway_log().find(fmt::format(
              "sharing agreement 'canicule-ccas' (hs → ccas, temperature vulnerable) starts on {}",
              starts)) != std::string::npos);
}
