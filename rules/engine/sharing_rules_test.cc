// SPDX-License-Identifier: Apache-2.0
// The sharing agreements end to end inside the rules: checked when rules compile, and for each
// notification of a running engine (who gets what, what is left out, what stops at an end date).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "rules/actions/notification.h"
#include "rules/actions/signal_action.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"
#include "rules/engine/engine.h"

namespace passerelle::rules {
namespace {

using namespace std::chrono_literals;

const Timestamp kJuly = *parse_utc("2026-07-14T10:00:00Z");

// The heatwave rule of DESIGN §4: the CCAS for vulnerable residents, the landlord always.
const char* const kHeatwave = R"(version: 1
rules:
  - id: canicule
    listen: telemetry/+/+/temperature
    entities: {type: dwelling}
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    actions:
      - notify: ccas
        when: entity.vulnerable
        message: "Logement {{entity}} : {{value}} °C"
      - notify: "{{provider}}"
        message: "Logement {{entity}} : {{value}} °C"
)";

Agreement agreement(std::string id, std::string from, std::vector<std::string> to,
                    std::vector<std::string> data) {
    Agreement a;
    a.id = std::move(id);
    a.from = std::move(from);
    a.to = std::move(to);
    a.data = std::move(data);
    a.purpose = "tests";
    a.span = {"passerelle.yaml", 40, 5, 1};
    return a;
}

Territory territory() {
    Territory t;
    t.stakeholders = {{"ville", "Ville", "ville", {}},
                      {"ccas", "CCAS", "ccas", {}},
                      {"hs", "Habitat Sud", "bailleur", {}},
                      {"ln", "Logis Nord", "bailleur", {}}};
    t.entities.add(Entity{"hs-1", "dwelling", "hs", "hs-bat", {{"vulnerable", true}}, {}, {}, {}});
    t.entities.add(Entity{"hs-2", "dwelling", "hs", "hs-bat", {}, {}, {}, {}});
    t.entities.add(Entity{"ln-1", "dwelling", "ln", "ln-bat", {{"vulnerable", true}}, {}, {}, {}});
    t.attributes.emplace("vulnerable", AttributeDeclaration{"ccas", true, "", {}});
    t.agreements = {agreement("vigilance", "ville", {"ccas", "hs", "ln"}, {"canicule-level"}),
                    agreement("canicule-hs", "hs", {"ccas"}, {"temperature"}),
                    agreement("canicule-ln", "ln", {"ccas"}, {"temperature"})};
    return t;
}

struct Compiled {
    std::shared_ptr<const RuleSet> rules;
    std::string diagnostics;
};

Compiled compile(const Territory& t, const char* text = kHeatwave, Timestamp now = kJuly,
                 bool expired_is_error = true) {
    Diagnostics diagnostics;
    auto file = load_rules_text(text, "r.yaml", diagnostics);
    REQUIRE(file);
    CompileOptions options;
    options.now = now;
    options.expired_agreements_are_errors = expired_is_error;
    auto rules = compile_rules({*file}, t, diagnostics, options);
    return {rules, format_diagnostics(diagnostics)};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The notifications of a dwelling at 30 °C under heatwave level 3, at `at`.
struct Outcome {
    std::vector<Notification> sent;
    std::vector<BlockedNotification> blocked;
};

Outcome heat(const Territory& t, const std::shared_ptr<const RuleSet>& rules,
             const std::string& provider, const std::string& dwelling, Timestamp at) {
    Engine engine(rules, t, TimeZone::utc());
    std::vector<AlertEvent> events;
    engine.on_reading("signal/ville/canicule-level",
                      Reading{"ville", "canicule-level", "canicule-level", 3.0, "", at}, events);
    engine.on_reading("telemetry/" + provider + "/" + dwelling + "/temperature",
                      Reading{provider, dwelling, "temperature", 30.0, "Cel", at + 1min}, events);
    Outcome outcome;
    std::vector<std::string> skipped;
    for (const auto& event : events) {
        auto planned = plan_notifications(event, t, skipped, &outcome.blocked);
        outcome.sent.insert(outcome.sent.end(), planned.begin(), planned.end());
    }
    CHECK(skipped.empty());
    return outcome;
}

const Notification& to(const Outcome& outcome, const std::string& recipient) {
    for (const auto& notification : outcome.sent) {
        if (notification.recipient == recipient) {
            return notification;
        }
    }
    FAIL("no notification to " << recipient);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("sharing: a rule with an agreement for each flow compiles without a word", "[sharing]") {
    const Compiled compiled = compile(territory());
    INFO(compiled.diagnostics);
    CHECK(compiled.rules != nullptr);
    CHECK(compiled.diagnostics.empty());
}

TEST_CASE("sharing: a flow without an agreement is an error at the action", "[sharing]") {
    Territory t = territory();
    t.agreements.erase(t.agreements.begin() + 2);  // logis nord shares nothing with the CCAS
    const Compiled compiled = compile(t);
    INFO(compiled.diagnostics);
    CHECK(compiled.rules == nullptr);
    CHECK(has(compiled.diagnostics,
              "r.yaml:8:17: error[rules.no-agreement]: this action would send ln's temperature of "
              "ln-1 to ccas, and no agreement allows it; declare one under 'agreements:' (from: "
              "ln, to: ccas, data: [temperature], purpose: …)"));
    // The landlord's own action needs the town's level only.
    CHECK_FALSE(has(compiled.diagnostics, "r.yaml:11:17"));
}

TEST_CASE("sharing: another party's personal attribute needs an agreement naming it", "[sharing]") {
    Territory t = territory();
    // The landlord's action now reads the CCAS's flag: the landlord would learn it.
    const std::string text = std::string(kHeatwave) + "        when: entity.vulnerable\n";
    Compiled compiled = compile(t, text.c_str());
    INFO(compiled.diagnostics);
    CHECK(compiled.rules == nullptr);
    CHECK(has(compiled.diagnostics,
              "r.yaml:11:17: error[rules.no-agreement]: this action would send ccas's vulnerable "
              "(personal data) of hs-1 to hs, and no agreement allows it; 'vulnerable' is "
              "personal data: the agreement must name it"));
    t.agreements.push_back(agreement("tout", "ccas", {"hs", "ln"}, {"*"}));
    CHECK(compile(t, text.c_str()).rules == nullptr);  // '*' is not enough
    t.agreements.back().data = {"vulnerable"};
    compiled = compile(t, text.c_str());
    INFO(compiled.diagnostics);
    CHECK(compiled.rules != nullptr);
}

TEST_CASE("sharing: agreements out of their dates are errors or warnings with the date",
          "[sharing]") {
    Territory t = territory();
    Agreement& hs = t.agreements[1];
    hs.valid_until = *parse_utc("2026-07-01T00:00:00Z");
    hs.valid_until_text = "2026-06-30";
    Compiled compiled = compile(t);
    CHECK(compiled.rules == nullptr);
    CHECK(has(compiled.diagnostics,
              "error[rules.agreement-expired]: this action would send hs's temperature of hs-1 "
              "(and 1 other entity) to ccas, but agreement 'canicule-hs' (passerelle.yaml:40), "
              "which allowed it, ended on 2026-06-30: renew it (valid_until) or remove the "
              "action"));
    // A running gateway keeps its other rules and disables the action.
    compiled = compile(t, kHeatwave, kJuly, false);
    CHECK(compiled.rules != nullptr);
    CHECK(has(compiled.diagnostics,
              "warning[rules.agreement-expired]: this action would send hs's temperature of hs-1 "
              "(and 1 other entity) to ccas, but agreement 'canicule-hs' (passerelle.yaml:40), "
              "which allowed it, ended on 2026-06-30: the action is disabled for that recipient "
              "until it is renewed"));

    hs.valid_until = kJuly + 24h * 30;
    hs.valid_until_text = "2026-08-13";
    compiled = compile(t);
    CHECK(compiled.rules != nullptr);
    CHECK(has(compiled.diagnostics,
              "warning[rules.agreement-ending]: agreement 'canicule-hs' (passerelle.yaml:40), "
              "which allows this action to send hs's temperature of hs-1 (and 1 other entity) to "
              "ccas, ends on 2026-08-13: from the next day the action is disabled unless it is "
              "renewed"));
    hs.valid_until = kJuly + 24h * 365;  // far enough: no warning
    CHECK(compile(t).diagnostics.empty());

    hs.valid_until.reset();
    hs.valid_from = kJuly + 24h;
    hs.valid_from_text = "2026-07-15";
    compiled = compile(t);
    CHECK(compiled.rules != nullptr);
    CHECK(has(compiled.diagnostics,
              "warning[rules.agreement-not-started]: agreement "
              "'canicule-hs' (passerelle.yaml:40), which allows this action "
              "to send hs's temperature of hs-1 (and 1 other entity) to "
              "ccas, starts on 2026-07-15"));
}

TEST_CASE("sharing: the landlord's copy has no personal data, the CCAS's has the flag",
          "[sharing]") {
    const Territory t = territory();
    const Compiled compiled = compile(t);
    REQUIRE(compiled.rules);
    const Outcome outcome = heat(t, compiled.rules, "hs", "hs-1", kJuly);
    REQUIRE(outcome.sent.size() == 2);
    CHECK(outcome.blocked.empty());
    const auto ccas = nlohmann::json::parse(to(outcome, "ccas").payload);
    CHECK(ccas["attributes"] == nlohmann::json{{"vulnerable", true}});
    const Notification& landlord = to(outcome, "hs");
    CHECK_FALSE(has(landlord.payload, "vulnerable"));
    CHECK_FALSE(nlohmann::json::parse(landlord.payload).contains("attributes"));
    // Which agreements let each copy go: none is needed for the landlord's own temperature.
    CHECK(to(outcome, "ccas").agreements == std::vector<std::string>{"canicule-hs", "vigilance"});
    CHECK(landlord.agreements == std::vector<std::string>{"vigilance"});
}

TEST_CASE("sharing: an agreement that has ended stops its notifications, and says why",
          "[sharing]") {
    Territory t = territory();
    const Compiled compiled = compile(t);  // still valid in July
    REQUIRE(compiled.rules);
    t.agreements[1].valid_until = kJuly + 24h * 60;
    t.agreements[1].valid_until_text = "2026-09-11";
    // The engine and the notifications read `t`: the agreement is checked at each event's time.
    Outcome before = heat(t, compiled.rules, "hs", "hs-1", kJuly);
    CHECK(before.sent.size() == 2);
    Outcome after = heat(t, compiled.rules, "hs", "hs-1", kJuly + 24h * 61);
    REQUIRE(after.sent.size() == 1);
    CHECK(after.sent[0].recipient == "hs");
    REQUIRE(after.blocked.size() == 1);
    const BlockedNotification& blocked = after.blocked[0];
    CHECK(blocked.recipient == "ccas");
    CHECK(blocked.action == 0);
    CHECK(blocked.flow == DataFlow{"hs", "temperature", "hs-1", false});
    CHECK(blocked.check.verdict == FlowVerdict::Expired);
    REQUIRE(blocked.check.agreement != nullptr);
    CHECK(blocked.check.agreement->id == "canicule-hs");
}

TEST_CASE(
    "sharing: a derived signal is its owner's: republishing another party's data needs "
    "an agreement",
    "[sharing]") {
    Territory t = territory();
    const char* const text = R"(version: 1
rules:
  - id: surchauffe
    listen: telemetry/+/+/temperature
    entities: {type: dwelling}
    when: value >= 30
    actions:
      - publish: "signal/ville/surchauffe-{{key}}"
        value: value
)";
    Compiled compiled = compile(t, text);
    INFO(compiled.diagnostics);
    CHECK(compiled.rules == nullptr);
    CHECK(has(compiled.diagnostics,
              "r.yaml:8:18: error[rules.no-agreement]: this publish action would put hs's "
              "temperature of hs-1 (and 1 other entity) to ville (as its signal), and no "
              "agreement allows it"));
    Agreement surchauffes = agreement("surchauffes", "hs", {"ville"}, {"temperature"});
    surchauffes.valid_until = kJuly + 24h;
    surchauffes.valid_until_text = "2026-07-14";
    t.agreements.push_back(surchauffes);
    t.agreements.push_back(agreement("surchauffes-ln", "ln", {"ville"}, {"temperature"}));
    compiled = compile(t, text);
    REQUIRE(compiled.rules != nullptr);
    // The day after, the landlord's temperatures no longer become the town's signal.
    for (const Timestamp at : {kJuly, kJuly + 48h}) {
        Engine engine(compiled.rules, t, TimeZone::utc());
        std::vector<AlertEvent> events;
        engine.on_reading("telemetry/hs/hs-1/temperature",
                          Reading{"hs", "hs-1", "temperature", 31.0, "Cel", at}, events);
        REQUIRE(events.size() == 1);
        std::vector<BlockedNotification> blocked;
        const auto signals = plan_signals(events[0], &t, &blocked);
        if (at == kJuly) {
            REQUIRE(signals.size() == 1);
            CHECK(signals[0].topic == "signal/ville/surchauffe-hs-1");
            CHECK(blocked.empty());
        } else {
            CHECK(signals.empty());
            REQUIRE(blocked.size() == 1);
            CHECK(blocked[0].recipient == "ville");
            CHECK(blocked[0].check.verdict == FlowVerdict::Expired);
        }
    }
}

TEST_CASE("sharing: what an action carries is traced through joins, windows and templates",
          "[sharing]") {
    Territory t = territory();
    t.entities.add(
        Entity{"hs-bat", "building", "hs", "", {{"gardien", std::string("M. X")}}, {}, {}, {}});
    const Compiled compiled = compile(t, R"yaml(version: 1
rules:
  - id: humide
    listen: telemetry/hs/+/temperature
    entities: {type: dwelling}
    when: avg(humidity, 1h) > 70 and last("telemetry/ln/ln-1/humidity") > 0
    actions:
      - notify: ccas
        message: "{{entity}} ({{building.gardien}})"
)yaml");
    INFO(compiled.diagnostics);
    CHECK(compiled.rules == nullptr);
    for (const char* flow :
         {"hs's humidity of hs-1", "ln's humidity of ln-1", "hs's gardien of hs-bat to"}) {
        INFO(flow);
        CHECK(has(compiled.diagnostics, std::string("send ") + flow));
    }
}

}  // namespace passerelle::rules
