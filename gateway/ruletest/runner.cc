// SPDX-License-Identifier: Apache-2.0
// Rule tests on the injected readings' clock: the engine, admission and planning of a live run.
#include "gateway/ruletest/runner.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/config/routing_loader.h"
#include "gateway/config/settings_loader.h"
#include "gateway/core/topic.h"
#include "gateway/daemon/admission.h"
#include "gateway/routing/router.h"
#include "rules/actions/notification.h"
#include "rules/actions/signal_action.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/engine/engine.h"

namespace passerelle::ruletest {
namespace {

// Tests give readings their own times: each notification is checked against the agreements
// then, whatever today's date.
rules::CompileOptions expired_agreements_as_warnings() {
    rules::CompileOptions options;
    options.expired_agreements_are_errors = false;
    return options;
}

struct PreparedInput {
    const InputSeries* series;
    CanonicalTopic topic;
};

/// The canonical topics of the inputs: a reading's provider, entity and quantity come from it. An
/// input whose topic is not canonical is reported and left out.
std::vector<PreparedInput> prepare_inputs(const RuleTest& test, Diagnostics& diagnostics) {
    std::vector<PreparedInput> prepared;
    for (const auto& input : test.inputs) {
        auto topic = parse_canonical_topic(input.topic);
        if (!topic) {
            diagnostics.error("ruletest.bad-topic", topic.error().message, input.span);
            continue;
        }
        prepared.push_back({&input, std::move(*topic)});
    }
    return prepared;
}

Reading make_reading(const PreparedInput& input, const Value& value, Timestamp time) {
    return Reading{input.topic.provider, input.topic.entity,
                   input.topic.quantity, value,
                   input.series->unit,   time};
}

/// The rendered message of a notification, as its JSON payload carries it.
std::optional<std::string> payload_message(const std::string& payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    const auto message = json.find("message");
    if (message == json.end() || !message->is_string()) {
        return std::nullopt;
    }
    return message->get<std::string>();
}

// The routed notices due before `until`, each at the time it fell due.
void flush_routes(routing::Router* router, Timestamp until, const RuleTest& test,
                  std::vector<ExpectedNotification>& got) {
    if (router == nullptr) {
        return;
    }
    std::vector<routing::RoutedNotification> routed;
    router->flush_before(until, routed);
    for (auto& notice : routed) {
        got.push_back(ExpectedNotification{
            notice.time - test.start, notice.receiver, notice.rule, notice.group_key, notice.status,
            payload_message(notice.payload), std::move(notice.alert_keys), SourceSpan{}});
    }
}

// Someone takes charge of the group the test names; a group that does not exist (yet, or any
// more) is the test's mistake.
void acknowledge(routing::Router* router, const TestAcknowledgement& ack, Timestamp at,
                 Diagnostics& diagnostics) {
    const auto id = router->group_id(ack.recipient, ack.rule, ack.key);
    if (!id) {
        diagnostics.error("ruletest.nothing-to-acknowledge",
                          fmt::format("at {}, no group {} of {} for {} waits to be acknowledged",
                                      format_duration(ack.at), ack.key, ack.rule, ack.recipient),
                          ack.span);
        return;
    }
    auto taken =
        router->acknowledge(routing::Acknowledgement{ack.recipient, *id, ack.by, ack.comment}, at);
    if (!taken) {
        diagnostics.error("ruletest.nothing-to-acknowledge", taken.error().message, ack.span);
    }
}

// The notifications and derived signals of `events`, in order; the signals go back to the engine
// as the broker would bring them, until no rule sets another. Routed recipients' notifications
// go to their groups instead.
void collect(rules::Engine& engine, std::vector<rules::AlertEvent>& events, const RuleTest& test,
             const Territory& territory, routing::Router* router,
             std::vector<ExpectedNotification>& got) {
    for (int round = 0; !events.empty() && round < rules::kMaxSignalRounds; ++round) {
        for (const auto& event : events) {
            if (router != nullptr) {
                router->observe(event);
            }
            std::vector<std::string> skipped;
            for (const auto& notification : rules::plan_notifications(event, territory, skipped)) {
                if (const auto* route = router ? router->route_of(event, notification) : nullptr) {
                    router->accept(*route, event, notification);
                    continue;
                }
                got.push_back(ExpectedNotification{event.time - test.start, notification.recipient,
                                                   event.rule->id, event.key, event.status,
                                                   payload_message(notification.payload),
                                                   std::nullopt, SourceSpan{}});
            }
            for (const auto& signal : rules::plan_signals(event, &territory)) {
                got.push_back(ExpectedNotification{
                    event.time - test.start, signal.topic, event.rule->id, event.key, event.status,
                    format_value(signal.reading.value), std::nullopt, SourceSpan{}});
            }
        }
        std::vector<rules::AlertEvent> caused;
        rules::feed_back_signals(engine, events, caused);
        events = std::move(caused);
    }
    events.clear();
}

std::string location(const SourceSpan& span) {
    return span.file.empty() ? std::string() : fmt::format("  ({}:{})", span.file, span.line);
}

}  // namespace

bool satisfies(const ExpectedNotification& got, const ExpectedNotification& expected) {
    return got.at == expected.at && got.recipient == expected.recipient &&
           got.rule == expected.rule && got.key == expected.key && got.status == expected.status &&
           (!expected.message || got.message == expected.message) &&
           (!expected.alerts || got.alerts == expected.alerts);
}

std::vector<Mismatch> compare_notifications(const std::vector<ExpectedNotification>& expected,
                                            const std::vector<ExpectedNotification>& got) {
    // lcs[i][j]: the longest common part of expected[i..] and got[j..].
    const std::size_t n = expected.size();
    const std::size_t m = got.size();
    std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] = satisfies(got[j], expected[i]) ? lcs[i + 1][j + 1] + 1
                                                       : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::vector<Mismatch> mismatches;
    std::vector<const ExpectedNotification*> lone_expected;
    std::vector<const ExpectedNotification*> lone_got;
    // Between two matched pairs, the unmatched lines of both sides are paired in order: a wrong
    // time or recipient then reads as expected/got, the rest as missing or unexpected.
    const auto flush = [&] {
        const std::size_t pairs = std::max(lone_expected.size(), lone_got.size());
        for (std::size_t k = 0; k < pairs; ++k) {
            Mismatch mismatch;
            if (k < lone_expected.size()) {
                mismatch.expected = *lone_expected[k];
            }
            if (k < lone_got.size()) {
                mismatch.got = *lone_got[k];
            }
            mismatches.push_back(std::move(mismatch));
        }
        lone_expected.clear();
        lone_got.clear();
    };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && satisfies(got[j], expected[i]) &&
            lcs[i][j] == lcs[i + 1][j + 1] + 1) {
            flush();
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            lone_got.push_back(&got[j++]);
        } else {
            lone_expected.push_back(&expected[i++]);
        }
    }
    flush();
    return mismatches;
}

std::optional<TestOutcome> run_rule_test(const RuleTest& test,
                                         const std::shared_ptr<const rules::RuleSet>& rule_set,
                                         const Territory& territory, const TimeZone& zone,
                                         Diagnostics& diagnostics,
                                         const routing::RoutingConfig& routing) {
    const std::size_t errors_before = diagnostics.error_count();
    const auto prepared = prepare_inputs(test, diagnostics);
    const auto* inputs = &prepared;
    std::size_t steps = 0;
    for (const auto& input : *inputs) {
        steps = std::max(steps, input.series->items.size());
    }
    // Readings in time order; at one step, in the order the inputs are listed.
    std::vector<std::pair<const PreparedInput*, Reading>> readings;
    std::vector<bool> refused(inputs->size(), false);
    for (std::size_t step = 0; step < steps; ++step) {
        const Timestamp time = test.start + test.interval * static_cast<std::int64_t>(step);
        for (std::size_t k = 0; k < inputs->size(); ++k) {
            const auto& input = (*inputs)[k];
            if (step >= input.series->items.size() || !input.series->items[step]) {
                continue;
            }
            Reading reading = make_reading(input, *input.series->items[step], time);
            if (auto admitted = daemon::admit_reading(input.series->topic, reading, territory);
                !admitted) {
                if (!refused[k]) {
                    diagnostics.error("ruletest.refused-reading",
                                      fmt::format("the gateway would refuse these readings: {}",
                                                  admitted.error().message),
                                      input.series->span);
                }
                refused[k] = true;
                continue;
            }
            readings.emplace_back(&input, std::move(reading));
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    if ((!test.acknowledgements.empty() || !test.silences.empty() || !test.presences.empty()) &&
        routing.routes.empty()) {
        diagnostics.error("ruletest.no-route",
                          "only routed notices can be acknowledged, silenced or wait for a "
                          "desk's presence, and the configuration has no route (docs/routing.md)",
                          !test.acknowledgements.empty() ? test.acknowledgements.front().span
                          : !test.silences.empty()       ? test.silences.front().span
                                                         : test.presences.front().span);
        return std::nullopt;
    }
    TestOutcome outcome;
    outcome.name = test.name;
    rules::Engine engine(rule_set, territory, zone);
    std::unique_ptr<routing::Router> router;
    if (!routing.routes.empty()) {
        router = std::make_unique<routing::Router>(routing, territory, zone);
    }
    std::vector<rules::AlertEvent> events;
    Timestamp end = test.start;
    auto next_ack = test.acknowledgements.begin();
    auto next_silence = test.silences.begin();
    auto next_presence = test.presences.begin();
    // What the recipients do up to `time`, in time order (at one instant: silences, then
    // acknowledgements, then presences), each after the notices due before it.
    const auto acknowledge_until = [&](Timestamp time) {
        constexpr Duration kNever = Duration::max();
        while (true) {
            const Duration silence_at =
                next_silence != test.silences.end() ? next_silence->at : kNever;
            const Duration ack_at = next_ack != test.acknowledgements.end() ? next_ack->at : kNever;
            const Duration presence_at =
                next_presence != test.presences.end() ? next_presence->at : kNever;
            const Duration first = std::min({silence_at, ack_at, presence_at});
            if (first == kNever || test.start + first > time) {
                break;
            }
            const Timestamp at = test.start + first;
            flush_routes(router.get(), at, test, outcome.got);
            if (silence_at == first) {
                router->add_silence(routing::Silence{
                    fmt::format("{:016x}", next_silence - test.silences.begin() + 1),
                    next_silence->recipient,
                    {next_silence->matchers.begin(), next_silence->matchers.end()},
                    at,
                    at + next_silence->length,
                    next_silence->author,
                    next_silence->reason});
                ++next_silence;
            } else if (ack_at == first) {
                acknowledge(router.get(), *next_ack, at, diagnostics);
                ++next_ack;
            } else {
                const std::string& receiver = next_presence->receiver;
                const auto slash = receiver.find('/');
                router->presence(
                    routing::PresenceReport{
                        receiver.substr(0, slash),
                        slash == std::string::npos ? std::string() : receiver.substr(slash + 1),
                        next_presence->online},
                    at);
                ++next_presence;
            }
        }
    };
    for (const auto& [input, reading] : readings) {
        acknowledge_until(reading.time);
        flush_routes(router.get(), reading.time, test, outcome.got);
        engine.on_reading(input->series->topic, reading, events);
        collect(engine, events, test, territory, router.get(), outcome.got);
        end = std::max(end, reading.time);
    }
    for (const auto& expected : test.expected) {
        end = std::max(end, test.start + expected.at);
    }
    for (const auto& ack : test.acknowledgements) {
        end = std::max(end, test.start + ack.at);
    }
    for (const auto& silence : test.silences) {
        end = std::max(end, test.start + silence.at);
    }
    for (const auto& presence : test.presences) {
        end = std::max(end, test.start + presence.at);
    }
    acknowledge_until(end);
    // One more interval lets a `for` that ends with the last expectation or reading elapse.
    engine.advance(end + test.interval, events);
    collect(engine, events, test, territory, router.get(), outcome.got);
    flush_routes(router.get(), end + test.interval, test, outcome.got);
    outcome.mismatches = compare_notifications(test.expected, outcome.got);
    return outcome;
}

std::string describe(const ExpectedNotification& notification, bool with_message) {
    std::string text =
        fmt::format("at {} {} {} {} {}", format_duration(notification.at), notification.recipient,
                    notification.rule, notification.key, rules::to_string(notification.status));
    if (notification.alerts) {
        text += fmt::format(" [{}]", fmt::join(*notification.alerts, ", "));
    }
    if (with_message && notification.message) {
        text += fmt::format(" \"{}\"", *notification.message);
    }
    return text;
}

std::string format_outcome(const std::string& file, const TestOutcome& outcome) {
    if (outcome.passed()) {
        return fmt::format("ok   {}: {}\n", file, outcome.name);
    }
    std::string text = fmt::format("FAIL {}: {}\n", file, outcome.name);
    for (const auto& mismatch : outcome.mismatches) {
        // A produced message is shown only when the expectation it is compared with states one.
        const bool with_message = mismatch.expected && mismatch.expected->message;
        if (mismatch.expected) {
            text += fmt::format("    expected: {}{}\n", describe(*mismatch.expected, true),
                                location(mismatch.expected->span));
        } else {
            text += "    expected: (nothing: unexpected notification)\n";
        }
        if (mismatch.got) {
            text += fmt::format("    got:      {}\n", describe(*mismatch.got, with_message));
        } else {
            text += "    got:      (nothing: missing notification)\n";
        }
    }
    return text;
}

void run_test_file(const std::string& path, RunTotals& totals, std::string& report,
                   Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    const auto file = load_test_file(path, diagnostics);
    if (!file) {
        totals.invalid = true;
        return;
    }
    const auto settings = config::load_settings(file->config, diagnostics);
    if (!settings) {
        totals.invalid = true;
        return;
    }
    const auto rule_set = rules::load_and_compile_rules(
        settings->rule_files, settings->territory, diagnostics, expired_agreements_as_warnings());
    if (!rule_set) {
        totals.invalid = true;
        return;
    }
    config::check_route_rules(settings->routing, *rule_set, diagnostics);
    // A test file may fix its own zone, so that its DST nights mean the same wherever it runs.
    TimeZone zone = settings->time_zone;
    if (file->time_zone) {
        auto loaded = TimeZone::load(file->time_zone->value);
        if (!loaded) {
            diagnostics.error("ruletest.bad-time-zone", loaded.error().message,
                              file->time_zone->span);
            totals.invalid = true;
            return;
        }
        zone = std::move(*loaded);
    }
    for (const auto& test : file->tests) {
        const auto outcome = run_rule_test(test, rule_set, settings->territory, zone, diagnostics,
                                           settings->routing);
        if (!outcome) {
            continue;
        }
        ++totals.tests;
        ++(outcome->passed() ? totals.passed : totals.failed);
        report += format_outcome(path, *outcome);
    }
    if (diagnostics.error_count() != errors_before) {
        totals.invalid = true;
    }
}

std::string format_totals(const RunTotals& totals) {
    return fmt::format("{} tests, {} passed, {} failed\n", totals.tests, totals.passed,
                       totals.failed);
}

}  // namespace passerelle::ruletest
