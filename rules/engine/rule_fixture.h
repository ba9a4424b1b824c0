// SPDX-License-Identifier: Apache-2.0
// Test support: one rules file compiled against a small territory, fed readings minute by minute,
// its transitions described as "firing a-1 @60" (status, key, minutes after kStart).
#pragma once

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gateway/core/agreement_test_support.h"
#include "gateway/core/topic.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"
#include "rules/engine/engine.h"
#include "tests/support/schema_keys.h"

namespace passerelle::rules::testing {

using namespace std::chrono_literals;

inline const Timestamp kStart =
    *timestamp_from_epoch_seconds(1783990800.0);  // 2026-07-14T01:00:00Z

inline std::string rules_file(const std::string& rule) {
    return "version: 1\nrules:\n" + rule + "    actions:\n      - notify: hs\n        message: m\n";
}

class Fixture {
public:
    /// `entities`: more of them than dwellings a-1 and a-2 of building a.
    explicit Fixture(const std::string& rule, TimeZone zone = TimeZone::utc(),
                     std::vector<Entity> entities = {}) {
        territory_.stakeholders = {{"hs", "Habitat Sud", "bailleur", {}},
                                   {"ville", "Ville", "ville", {}}};
        territory_.entities.add(Entity{"a-1", "dwelling", "hs", "a", {}, {}, {}, {"rdc"}});
        territory_.entities.add(Entity{"a-2", "dwelling", "hs", "a", {}, {}, {}, {}});
        for (auto& entity : entities) {
            territory_.entities.add(std::move(entity));
        }
        passerelle::test_support::share_all(territory_);
        Diagnostics diagnostics;
        auto file = load_rules_text(rules_file(rule), "r.yaml", diagnostics);
        if (file) {
            rules_ = compile_rules({*file}, territory_, diagnostics);
        }
        errors = format_diagnostics(diagnostics);
        if (rules_) {
            engine_ = std::make_unique<Engine>(rules_, territory_, std::move(zone));
        }
    }

    /// "firing a-1 @60" per transition, `minutes` after kStart.
    std::vector<std::string> feed(const std::string& topic, std::chrono::minutes offset,
                                  double value) {
        const auto canonical = parse_canonical_topic(topic);
        REQUIRE(canonical.has_value());
        Reading reading{canonical->provider, canonical->entity, canonical->quantity, value, "",
                        kStart + offset};
        last_events.clear();
        engine_->on_reading(topic, reading, last_events);
        return describe(last_events);
    }
    std::vector<std::string> advance(std::chrono::minutes offset) {
        last_events.clear();
        engine_->advance(kStart + offset, last_events);
        return describe(last_events);
    }
    bool compiled() const { return engine_ != nullptr; }
    Engine& engine() { return *engine_; }
    const Territory& territory() const { return territory_; }

    std::string errors;
    std::vector<AlertEvent> last_events;  // of the latest feed() or advance()

private:
    static std::vector<std::string> describe(const std::vector<AlertEvent>& events) {
        std::vector<std::string> out;
        for (const auto& event : events) {
            const auto minutes =
                std::chrono::duration_cast<std::chrono::minutes>(event.time - kStart).count();
            out.push_back(std::string(to_string(event.status)) + " " + event.key + " @" +
                          std::to_string(minutes));
        }
        return out;
    }

    Territory territory_;
    std::shared_ptr<const RuleSet> rules_;
    std::unique_ptr<Engine> engine_;
};

using Events = std::vector<std::string>;

/// Checks a notification's JSON against schemas/notification.schema.json: its required fields are
/// there and it has no field the schema does not describe.
inline void check_notification_schema(const std::string& payload) {
    passerelle::testing::check_schema_keys("notification.schema.json", payload);
}

}  // namespace passerelle::rules::testing
