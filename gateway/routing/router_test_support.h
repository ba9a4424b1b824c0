// SPDX-License-Identifier: Apache-2.0
// What the router's tests share: a small territory with one rule, and helpers to feed it.
#pragma once

#include <catch2/catch.hpp>

#include "gateway/core/agreement_test_support.h"
#include "gateway/core/rfc3339.h"
#include "gateway/routing/router.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"

namespace passerelle::routing::router_test {

using namespace std::chrono_literals;

inline Timestamp at(const char* text) {
    return *parse_rfc3339(text);
}

// Two dwellings of building a, one of building b; alerts of one rule, told to the CCAS.
class RouterFixture {
public:
    RouterFixture() {
        territory.stakeholders = {{"ccas", "CCAS", "ccas", {}}, {"hs", "HS", "bailleur", {}}};
        territory.entities.add(Entity{"a-1", "dwelling", "hs", "a", {}, {}, {}, {}});
        territory.entities.add(Entity{"a-2", "dwelling", "hs", "a", {}, {}, {}, {}});
        territory.entities.add(Entity{"b-1", "dwelling", "hs", "b", {}, {}, {}, {}});
        // Building a is heated by substation sst; building b is not in the registry.
        territory.entities.add(Entity{"a", "building", "hs", "", {}, {}, "sst", {}});
        territory.entities.add(Entity{"sst", "substation", "hs", "", {}, {}, {}, {}});
        test_support::share_all(territory);
        Diagnostics diagnostics;
        const auto file = rules::load_rules_text(
            "version: 1\n"
            "rules:\n"
            "  - {id: canicule, listen: telemetry/+/+/temperature, when: value >= 28,\n"
            "     labels: {theme: canicule}, actions: [{notify: ccas, message: m}]}\n",
            "r.yaml", diagnostics);
        REQUIRE(file);
        rule_set = rules::compile_rules({*file}, territory, diagnostics);
        REQUIRE(rule_set);
    }

    rules::AlertEvent event(const std::string& entity, rules::AlertStatus status, Timestamp time) {
        rules::AlertEvent event;
        event.rule = &rule_set->rules.front();
        event.key = entity;
        event.status = status;
        event.alert_id = "id-" + entity;
        event.time = time;
        event.firing_reading = Reading{"hs", entity, "temperature", 29.0, "Cel", time};
        event.reading = event.firing_reading;
        return event;
    }

    rules::Notification notification(const rules::AlertEvent& event,
                                     const std::string& recipient = "ccas") {
        const nlohmann::json body{{"id", event.alert_id},
                                  {"key", event.key},
                                  {"status", rules::to_string(event.status)},
                                  {"message", event.key + " chaud"}};
        return rules::Notification{recipient,
                                   "notify/ccas/canicule/" + event.key,
                                   body.dump(),
                                   event.alert_id,
                                   {"canicule-hs-ccas"},
                                   0,
                                   {"hs"}};
    }

    /// Gives `entity`'s transition to the router, as the gateway does.
    void feed(Router& router, const std::string& entity, rules::AlertStatus status,
              Timestamp time) {
        const auto alert = event(entity, status, time);
        const auto planned = notification(alert);
        const Route* route = router.route_of(alert, planned);
        REQUIRE(route != nullptr);
        router.accept(*route, alert, planned);
    }

    Territory territory;
    std::shared_ptr<const rules::RuleSet> rule_set;
};

inline Route grouped_by_building() {
    Route route;
    route.recipient = "ccas";
    route.group_by = {"building"};
    route.group_wait = 5min;
    route.group_interval = 15min;
    route.repeat_interval = 4h;
    return route;
}

inline RoutingConfig routes_config(std::vector<Route> routes,
                                   std::vector<TimeInterval> intervals = {},
                                   std::vector<Inhibition> inhibitions = {}) {
    return RoutingConfig{std::move(intervals), std::move(routes), std::move(inhibitions)};
}

// The notices due by `now`.
inline std::vector<RoutedNotification> flush(Router& router, Timestamp now) {
    std::vector<RoutedNotification> out;
    router.flush_before(now + Duration(1), out);
    return out;
}

}  // namespace passerelle::routing::router_test
