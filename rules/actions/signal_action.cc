// SPDX-License-Identifier: Apache-2.0
#include "rules/actions/signal_action.h"

#include "gateway/core/topic.h"
#include "rules/actions/notification.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::rules {

namespace {

// The first flow of the signal's data its owner may not receive at the event's time.
std::optional<BlockedNotification> refused(const AlertEvent& event, std::size_t i,
                                           const Territory& territory) {
    const CompiledRule& rule = *event.rule;
    const CompiledSignal& signal = rule.signals[i];
    for (const DataFlow& flow :
         data_flows(signal.carries, event.firing_reading, rule.listens_to_signals, territory)) {
        const FlowCheck check = check_flow(territory.agreements, flow, signal.owner, event.time);
        if (!check.allowed()) {
            return BlockedNotification{signal.owner, rule.actions.size() + i, flow, check};
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<DerivedSignal> plan_signals(const AlertEvent& event, const Territory* territory,
                                        std::vector<BlockedNotification>* blocked) {
    std::vector<DerivedSignal> out;
    const auto& signals = event.rule->signals;
    for (std::size_t i = 0; i < signals.size() && i < event.signal_values.size(); ++i) {
        if (!event.signal_values[i]) {
            continue;  // missing data: the signal keeps its previous value
        }
        if (territory != nullptr) {
            if (auto refusal = refused(event, i, *territory)) {
                if (blocked != nullptr) {
                    blocked->push_back(std::move(*refusal));
                }
                continue;
            }
        }
        std::string topic = signals[i].topic.render(
            [&event](std::string_view name) { return placeholder_value(event, name); }, event.zone);
        // signal/<provider>/<name>: the provider is written as such (checked at load); the name
        // comes from placeholders and, like a key, must stay one topic level.
        constexpr std::size_t kPrefix = std::string_view("signal/").size();
        const std::size_t name_at = topic.find('/', kPrefix);
        const std::string provider = topic.substr(kPrefix, name_at - kPrefix);
        const std::string name = as_topic_level(topic.substr(name_at + 1));
        out.push_back(
            DerivedSignal{signal_topic(provider, name),
                          Reading{provider, name, name, *event.signal_values[i], "", event.time}});
    }
    return out;
}

void feed_back_signals(Engine& engine, const std::vector<AlertEvent>& events,
                       std::vector<AlertEvent>& out) {
    for (const auto& event : events) {
        for (const auto& signal : plan_signals(event, &engine.territory())) {
            engine.on_reading(signal.topic, signal.reading, out);
        }
    }
}

}  // namespace passerelle::rules
