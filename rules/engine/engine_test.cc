// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/engine.h"

#include <catch2/catch.hpp>

#include "gateway/core/agreement_test_support.h"
#include "rules/actions/notification.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"
#include "rules/engine/rule_fixture.h"

using namespace passerelle;         // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

const char* const kRules = R"(version: 1
rules:
  - id: canicule-logement
    listen: telemetry/+/+/temperature
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    for: 2h
    clear: value < 26.5
    labels: {theme: canicule}
    actions:
      - notify: ccas
        when: entity.vulnerable
        message: "Logement {{entity}} : {{value | round(1)}} °C"
      - notify: "{{provider}}"
        message: "Logement {{entity}} : {{value}} °C"
        resolved_message: "Fin : {{entity}} après {{duration}}, pic {{max_value}} °C"
)";

const Timestamp kEngineStart = *timestamp_from_epoch_seconds(1783990800.0);  // 2026-07-14T01:00:00Z

class EngineFixture {
public:
    EngineFixture() {
        territory_.stakeholders = {{"ccas", "CCAS", "ccas", {}}, {"hs", "Habitat Sud", "bailleur", {}},
                                   {"ville", "Ville", "ville", {}}};
        territory_.entities.add(Entity{"a-1", "dwelling", "hs", "a", {{"vulnerable", true}}, {}, {}, {}});
        territory_.entities.add(Entity{"a-2", "dwelling", "hs", "a", {}, {}, {}, {}});
        passerelle::test_support::share_all(territory_);
        Diagnostics diagnostics;
        auto file = load_rules_text(kRules, "r.yaml", diagnostics);
        REQUIRE(file.has_value());
        rules_ = compile_rules({*file}, territory_, diagnostics);
        REQUIRE(rules_ != nullptr);
        engine_ = std::make_unique<Engine>(rules_, territory_);
    }

    std::vector<AlertEvent> level(int minutes, double value) {
        return feed("signal/ville/canicule-level", Reading{"ville", "canicule-level",
                                                           "canicule-level", value, "", at(minutes)});
    }
    std::vector<AlertEvent> temperature(const std::string& entity, int minutes, double value) {
        return feed("telemetry/hs/" + entity + "/temperature",
                    Reading{"hs", entity, "temperature", value, "Cel", at(minutes)});
    }
    std::vector<AlertEvent> advance(int minutes) {
        std::vector<AlertEvent> out;
        engine_->advance(at(minutes), out);
        return out;
    }
    static Timestamp at(int minutes) { return kEngineStart + std::chrono::minutes(minutes); }
    const Territory& territory() const { return territory_; }
    Engine& engine() { return *engine_; }

private:
    std::vector<AlertEvent> feed(const std::string& topic, const Reading& reading) {
        std::vector<AlertEvent> out;
        engine_->on_reading(topic, reading, out);
        return out;
    }

    Territory territory_;
    std::shared_ptr<const RuleSet> rules_;
    std::unique_ptr<Engine> engine_;
};

}  // namespace

TEST_CASE("a hot dwelling in a heatwave fires after 2 h and resolves below 26.5 °C", "[engine]") {
    EngineFixture f;
    CHECK(f.level(0, 3).empty());
    CHECK(f.temperature("a-1", 0, 28.5).empty());
    CHECK(f.temperature("a-1", 60, 29.0).empty());
    CHECK(f.engine().pending_count() == 1);
    auto fired = f.temperature("a-1", 120, 29.5);
    REQUIRE(fired.size() == 1);
    CHECK(fired[0].status == AlertStatus::Firing);
    CHECK(fired[0].key == "a-1");
    CHECK(fired[0].started_at == EngineFixture::at(120));
    CHECK(fired[0].actions == 0b11);  // vulnerable: the CCAS and the landlord
    // Between the thresholds the alert stays, then clears below 26.5 °C.
    CHECK(f.temperature("a-1", 180, 27.0).empty());
    auto resolved = f.temperature("a-1", 240, 26.0);
    REQUIRE(resolved.size() == 1);
    CHECK(resolved[0].status == AlertStatus::Resolved);
    CHECK(resolved[0].alert_id == fired[0].alert_id);
    CHECK(resolved[0].actions == 0b11);
    CHECK(f.engine().firing_count() == 0);
}

TEST_CASE("no heatwave level, or a low one, means no alert", "[engine]") {
    EngineFixture f;
    CHECK(f.temperature("a-1", 0, 30).empty());
    CHECK(f.temperature("a-1", 200, 30).empty());  // the level was never received: unknown
    CHECK(f.level(210, 2).empty());
    CHECK(f.temperature("a-1", 220, 30).empty());
    CHECK(f.temperature("a-1", 400, 30).empty());
    CHECK(f.engine().pending_count() == 0);
}

TEST_CASE("the `for` duration elapses with time alone", "[engine]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-2", 10, 29);
    CHECK(f.advance(129).empty());
    auto fired = f.advance(131);
    REQUIRE(fired.size() == 1);
    CHECK(fired[0].started_at == EngineFixture::at(130));
    CHECK(fired[0].actions == 0b10);  // not vulnerable: the landlord only
}

TEST_CASE("a dip below the threshold restarts the `for` duration", "[engine]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-2", 0, 29);
    f.temperature("a-2", 100, 27);
    CHECK(f.temperature("a-2", 130, 29).empty());
    CHECK(f.advance(200).empty());  // the first timer is stale
    CHECK(f.advance(250).size() == 1);
}

TEST_CASE("alert ids are stable per rule, key and episode", "[engine]") {
    const auto run_once = [] {
        EngineFixture f;
        f.level(0, 3);
        f.temperature("a-1", 0, 29);
        return f.temperature("a-1", 120, 29).at(0).alert_id;
    };
    CHECK(run_once() == run_once());
    CHECK(make_alert_id("r", "k", EngineFixture::at(0)) != make_alert_id("r", "k", EngineFixture::at(1)));
}

TEST_CASE("notifications carry the DESIGN fields, one per recipient", "[engine][notify]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-1", 0, 29.04);
    auto fired = f.temperature("a-1", 120, 29.04);
    REQUIRE(fired.size() == 1);
    std::vector<std::string> skipped;
    auto notifications = plan_notifications(fired[0], f.territory(), skipped);
    REQUIRE(notifications.size() == 2);
    CHECK(skipped.empty());
    CHECK(notifications[0].topic == "notify/ccas/canicule-logement/a-1");
    CHECK(notifications[1].topic == "notify/hs/canicule-logement/a-1");
    const auto body = nlohmann::json::parse(notifications[0].payload);
    CHECK(body["id"] == fired[0].alert_id);
    CHECK(body["rule"] == "canicule-logement");
    CHECK(body["status"] == "firing");
    CHECK(body["severity"] == "warning");
    CHECK(body["key"] == "a-1");
    CHECK(body["entity"] == "a-1");
    CHECK(body["recipient"] == "ccas");
    CHECK(body["message"] == "Logement a-1 : 29.0 °C");
    CHECK(body["started_at"] == "2026-07-14T03:00:00Z");
    CHECK(body["ts"] == "2026-07-14T03:00:00Z");
    CHECK(body["value"] == 29.04);
    CHECK(body["unit"] == "Cel");
    CHECK(body["labels"]["theme"] == "canicule");

    auto resolved = f.temperature("a-1", 210, 25);
    REQUIRE(resolved.size() == 1);
    auto ends = plan_notifications(resolved[0], f.territory(), skipped);
    const auto end = nlohmann::json::parse(ends.at(1).payload);
    CHECK(end["status"] == "resolved");
    CHECK(end["message"] == "Fin : a-1 après 1 h 30 min, pic 29.04 °C");
    CHECK(end["duration_s"] == 5400);
}

TEST_CASE("a resolved notice carries the episode's lowest and highest values", "[engine][notify]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-2", 0, 35);  // pending: before the episode
    f.temperature("a-2", 60, 29);
    // Fires at 120 on the reading of 60, the one the firing notice reports, before this one.
    REQUIRE(f.temperature("a-2", 120, 29.5).size() == 1);
    f.temperature("a-2", 150, 31);
    f.temperature("a-2", 160, 31);  // the peak again: dated by its first time
    f.temperature("a-2", 170, 27);
    const auto resolved = f.temperature("a-2", 180, 26);
    REQUIRE(resolved.size() == 1);
    std::vector<std::string> skipped;
    const auto notices = plan_notifications(resolved[0], f.territory(), skipped);
    REQUIRE(notices.size() == 1);
    const auto body = nlohmann::json::parse(notices[0].payload);
    CHECK(body["message"] == "Fin : a-2 après 1 h, pic 31 °C");
    CHECK(body["value"] == 26.0);
    CHECK(body["episode"] == nlohmann::json{{"min", 26.0},
                                            {"min_at", "2026-07-14T04:00:00Z"},
                                            {"max", 31.0},
                                            {"max_at", "2026-07-14T03:30:00Z"}});
}

TEST_CASE("a recipient that is not a stakeholder is skipped and reported", "[engine][notify]") {
    EngineFixture f;
    f.level(0, 3);
    std::vector<AlertEvent> out;
    f.engine().on_reading("telemetry/inconnu/a-9/temperature",
                          Reading{"inconnu", "a-9", "temperature", 30.0, "Cel", EngineFixture::at(0)},
                          out);
    f.engine().advance(EngineFixture::at(121), out);
    REQUIRE(out.size() == 1);
    std::vector<std::string> skipped;
    CHECK(plan_notifications(out[0], f.territory(), skipped).empty());
    CHECK(skipped == std::vector<std::string>{"inconnu"});
}

TEST_CASE("notifications follow schemas/notification.schema.json", "[engine][notify]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-1", 0, 30);
    auto events = f.temperature("a-1", 120, 30);
    auto resolved = f.temperature("a-1", 130, 20);
    events.insert(events.end(), resolved.begin(), resolved.end());
    REQUIRE(events.size() == 2);
    for (const auto& event : events) {
        std::vector<std::string> skipped;
        for (const auto& notification : plan_notifications(event, f.territory(), skipped)) {
            rules::testing::check_notification_schema(notification.payload);
        }
    }
}

TEST_CASE("a late reading of a key is not evaluated", "[engine]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-1", 0, 29);
    auto fired = f.temperature("a-1", 120, 29);
    REQUIRE(fired.size() == 1);
    CHECK(f.temperature("a-1", 60, 20).empty());  // older than the last one: ignored
    CHECK(f.engine().late_readings() == 1);
    CHECK(f.engine().firing_count() == 1);
}

TEST_CASE("a flapping condition keeps one timer per key", "[engine]") {
    EngineFixture f;
    f.level(0, 3);
    for (int minute = 0; minute < 100; minute += 2) {
        f.temperature("a-2", minute, 29);
        f.temperature("a-2", minute + 1, 20);
    }
    f.temperature("a-2", 100, 29);
    CHECK(f.engine().timer_count() == 1);
    CHECK(f.advance(219).empty());
    const auto fired = f.advance(221);
    REQUIRE(fired.size() == 1);
    CHECK(fired[0].started_at == EngineFixture::at(220));
}

TEST_CASE("a reloaded engine keeps the alerts of unchanged rules and the joined values",
          "[engine][reload]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-1", 60, 29);                 // pending since 60
    REQUIRE(f.temperature("a-2", 0, 29).empty());
    REQUIRE(f.temperature("a-2", 120, 29).size() == 1);  // firing
    Diagnostics diagnostics;
    std::string changed = kRules;
    changed += R"(  - id: autre
    listen: telemetry/+/+/humidity
    when: value > 90
    actions:
      - notify: hs
        message: x
)";
    auto file = load_rules_text(changed, "r.yaml", diagnostics);
    REQUIRE(file.has_value());
    auto rules = compile_rules({*file}, f.territory(), diagnostics);
    REQUIRE(rules != nullptr);
    Engine next(rules, f.territory());
    const auto adoption = next.adopt(f.engine());
    CHECK(adoption.rules_kept == 1);
    CHECK(adoption.alerts_kept == 2);
    CHECK(adoption.firing_dropped == 0);
    CHECK(next.firing_count() == 1);
    CHECK(next.pending_count() == 1);
    std::vector<AlertEvent> out;
    // The pending alert fires at its original deadline: the level (a join) was carried over too.
    next.on_reading("telemetry/hs/a-1/temperature",
                    Reading{"hs", "a-1", "temperature", 29.0, "Cel", EngineFixture::at(130)}, out);
    CHECK(out.empty());
    next.advance(EngineFixture::at(181), out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].started_at == EngineFixture::at(180));
    out.clear();
    next.on_reading("telemetry/hs/a-2/temperature",
                    Reading{"hs", "a-2", "temperature", 20.0, "Cel", EngineFixture::at(140)}, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].status == AlertStatus::Resolved);
}

TEST_CASE("a changed condition starts its rule afresh", "[engine][reload]") {
    EngineFixture f;
    f.level(0, 3);
    f.temperature("a-2", 0, 29);
    REQUIRE(f.temperature("a-2", 120, 29).size() == 1);
    Diagnostics diagnostics;
    std::string changed = kRules;
    changed.replace(changed.find("value >= 28"), 11, "value >= 27");
    auto file = load_rules_text(changed, "r.yaml", diagnostics);
    REQUIRE(file.has_value());
    Engine next(compile_rules({*file}, f.territory(), diagnostics), f.territory());
    const auto adoption = next.adopt(f.engine());
    CHECK(adoption.rules_kept == 0);
    CHECK(adoption.firing_dropped == 1);
    CHECK(next.firing_count() == 0);
}

TEST_CASE("registry values are bound for the rules that read them, among others that do not",
          "[engine]") {
    Territory territory;
    territory.stakeholders = {{"ccas", "CCAS", "ccas", {}}, {"hs", "Habitat Sud", "bailleur", {}}};
    territory.entities.add(Entity{"a-1", "dwelling", "hs", "a", {{"vulnerable", true}}, {}, {}, {}});
    territory.entities.add(Entity{"o-1", "office", "hs", "b", {}, {}, {}, {}});
    passerelle::test_support::share_all(territory);
    Diagnostics diagnostics;
    // Only the second rule reads the registry in a condition, only the third in an action's.
    auto file = load_rules_text(R"(version: 1
rules:
  - id: plain
    listen: telemetry/+/+/temperature
    when: value > 30
    actions:
      - notify: hs
        message: x
  - id: dwellings
    listen: telemetry/+/+/temperature
    when: value > 30 and entity.type == "dwelling" and entity.building == "a"
    actions:
      - notify: hs
        message: x
  - id: vulnerable
    listen: telemetry/+/+/temperature
    when: value > 30
    actions:
      - notify: ccas
        when: entity.vulnerable
        message: x
      - notify: hs
        message: x
)",
                                "r.yaml", diagnostics);
    REQUIRE(file.has_value());
    const auto rules = compile_rules({*file}, territory, diagnostics);
    REQUIRE(rules != nullptr);
    Engine engine(rules, territory);
    std::vector<AlertEvent> out;
    const auto hot = [&](const std::string& entity, int minutes) {
        out.clear();
        engine.on_reading(
            "telemetry/hs/" + entity + "/temperature",
            Reading{"hs", entity, "temperature", 31.0, "Cel", EngineFixture::at(minutes)}, out);
        return out;
    };
    const auto dwelling = hot("a-1", 0);
    REQUIRE(dwelling.size() == 3);
    CHECK(dwelling[1].rule->id == "dwellings");
    CHECK(dwelling[2].actions == 0b11);  // vulnerable: the CCAS and the landlord
    const auto office = hot("o-1", 1);
    REQUIRE(office.size() == 2);
    CHECK(office[0].rule->id == "plain");
    CHECK(office[1].rule->id == "vulnerable");
    CHECK(office[1].actions == 0b10);
}
