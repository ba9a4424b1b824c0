// SPDX-License-Identifier: Apache-2.0
// `passerelle replay`: the rules over recorded readings, on the readings' own clock; prints the
// notification events a live run over the same input publishes, with the same alert ids.
#include <cstdio>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/cli/commands.h"
#include "gateway/core/senml.h"
#include "gateway/daemon/admission.h"
#include "gateway/routing/router.h"
#include "gateway/storage/explain_log.h"
#include "rules/actions/notification.h"
#include "rules/actions/signal_action.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/engine/engine.h"

namespace passerelle::cli {
namespace {

struct ReplayOptions {
    std::string config;
    std::string input;
    bool explain = false;  // each event's explanation, as the gateway's explain log keeps it
};

struct ReplayCounts {
    std::size_t readings = 0;
    std::size_t refused = 0;
    std::size_t events = 0;
    std::size_t signals = 0;
};

void print_events(const std::vector<rules::AlertEvent>& events, const Territory& territory,
                  routing::Router* router, bool explain, ReplayCounts& counts) {
    for (const auto& event : events) {
        if (router != nullptr) {
            router->observe(event);
        }
        std::vector<std::string> skipped;
        const auto notifications = rules::plan_notifications(event, territory, skipped);
        std::vector<std::string> recipients;
        for (const auto& notification : notifications) {
            recipients.push_back(notification.recipient);
        }
        for (const auto& notification : notifications) {
            // A routed recipient's notification waits in its group, printed when it is sent.
            if (const auto* route = router ? router->route_of(event, notification) : nullptr) {
                router->accept(*route, event, notification);
                continue;
            }
            ++counts.events;
            nlohmann::json line = {
                {"id", event.alert_id},
                {"rule", event.rule->id},
                {"key", event.key},
                {"status", rules::to_string(event.status)},
                {"recipient", notification.recipient},
                {"ts", format_utc(event.time)},
                {"topic", notification.topic},
                {"notification", nlohmann::json::parse(notification.payload)},
            };
            if (explain) {
                line["explain"] = storage::explain_record(event, recipients);
            }
            std::puts(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        }
        for (const auto& signal : rules::plan_signals(event, &territory)) {
            ++counts.signals;
            const nlohmann::json line = {
                {"id", event.alert_id},
                {"rule", event.rule->id},
                {"key", event.key},
                {"status", rules::to_string(event.status)},
                {"signal", signal.topic},
                {"value", std::visit([](const auto& v) { return nlohmann::json(v); },
                                     signal.reading.value)},
                {"ts", format_utc(event.time)},
            };
            std::puts(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        }
    }
}

// Prints the routes' notices due before `until`, as a live gateway sends them.
void print_routed(routing::Router* router, Timestamp until, ReplayCounts& counts) {
    if (router == nullptr) {
        return;
    }
    std::vector<routing::RoutedNotification> routed;
    router->flush_before(until, routed);
    for (const auto& notice : routed) {
        ++counts.events;
        const nlohmann::json line = {
            {"id", notice.id},
            {"rule", notice.rule},
            {"key", notice.group_key},
            {"status", rules::to_string(notice.status)},
            {"recipient", notice.recipient},
            {"receiver", notice.receiver},
            {"notice", notice.notice},
            {"ts", format_utc(notice.time)},
            {"topic", notice.topic},
            {"notification", nlohmann::json::parse(notice.payload)},
        };
        std::puts(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
}

// Prints the events and gives the engine the signals they set, as the broker does for a live
// gateway, until no rule sets another.
void settle(rules::Engine& engine, std::vector<rules::AlertEvent>& events,
            const Territory& territory, routing::Router* router, bool explain,
            ReplayCounts& counts) {
    for (int round = 0; !events.empty() && round < rules::kMaxSignalRounds; ++round) {
        print_events(events, territory, router, explain, counts);
        std::vector<rules::AlertEvent> caused;
        rules::feed_back_signals(engine, events, caused);
        events = std::move(caused);
    }
    events.clear();
}

int replay(const ReplayOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    const auto rule_set = load_rules_or_report(*settings);
    if (!rule_set) {
        return kExitConfig;
    }
    std::ifstream input(options.input);
    if (!input) {
        std::fprintf(stderr, "replay: cannot read '%s'\n", options.input.c_str());
        return kExitUsage;
    }
    rules::Engine engine(rule_set, settings->territory, settings->time_zone);
    std::unique_ptr<routing::Router> router;
    if (!settings->routing.routes.empty()) {
        // A replay knows the readings, not which desks were connected: it shows the notices as
        // the routes send them, without the fallback copies that delivery alone decides.
        routing::RoutingConfig routing = settings->routing;
        for (auto& route : routing.routes) {
            route.fallback.reset();
        }
        router = std::make_unique<routing::Router>(std::move(routing), settings->territory,
                                                   settings->time_zone);
    }
    std::vector<rules::AlertEvent> events;
    ReplayCounts counts;
    std::string line;
    for (std::size_t number = 1; std::getline(input, line); ++number) {
        if (line.empty()) {
            continue;
        }
        auto recorded = decode_recorded_reading(line);
        Status admitted = recorded ? daemon::admit_reading(recorded->first, recorded->second,
                                                           settings->territory)
                                   : Status(recorded.error());
        if (!admitted) {
            // The same readings a live gateway would dead-letter are left out here too.
            ++counts.refused;
            std::fprintf(stderr, "%s:%zu: %s\n", options.input.c_str(), number,
                         admitted.error().message.c_str());
            continue;
        }
        ++counts.readings;
        print_routed(router.get(), recorded->second.time, counts);
        engine.on_reading(recorded->first, recorded->second, events);
        settle(engine, events, settings->territory, router.get(), options.explain, counts);
    }
    std::fflush(stdout);
    std::fprintf(stderr,
                 "replay: %zu readings evaluated, %zu refused, %zu notifications, %zu signals\n",
                 counts.readings, counts.refused, counts.events, counts.signals);
    return kExitOk;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReplayOptions>();
    auto* command = app.add_subcommand(
        "replay", "Evaluate the rules over recorded readings and print the notifications, one JSON "
                  "object per line");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--input", options->input,
                        "Readings recorded by `simulate --record` (JSON lines)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_flag("--explain", options->explain,
                      "Add to each line an \"explain\" object: why the rule fired or ended, as "
                      "`passerelle explain` prints it from a live gateway's log");
    command->callback([options, &exit_code] { exit_code = replay(*options); });
}

}  // namespace passerelle::cli
