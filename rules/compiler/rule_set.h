// SPDX-License-Identifier: Apache-2.0
// Compiled, immutable rules: what the engine evaluates and the gateway subscribes to.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/compiler/condition_pack.h"
#include "rules/compiler/data_uses.h"
#include "rules/compiler/entity_selector.h"
#include "rules/compiler/group_spec.h"
#include "rules/compiler/rule_core.h"
#include "rules/compiler/topic_index.h"
#include "rules/compiler/window_spec.h"
#include "rules/config/rule_spec.h"
#include "rules/expr/program.h"
#include "rules/expr/types.h"
#include "rules/template/template.h"

namespace passerelle::rules {

/// Fixed evaluation slots every rule sees; entity attributes, joins and windows follow them. The
/// calendar slots hold the evaluation time in the configured time zone.
enum class BuiltinSlot : std::uint32_t {
    Value, Entity, Provider, Quantity, Unit, EntityType, Building,
    Hour, Minute, Weekday, Day, Month,
};
inline constexpr std::uint32_t kBuiltinSlotCount = 12;
inline constexpr std::uint32_t kFirstCalendarSlot = static_cast<std::uint32_t>(BuiltinSlot::Hour);

/// Where each slot's value comes from at evaluation time. Joins and windows take the next free
/// slot as conditions first use them, so a slot handed to a compiled program never moves.
struct SlotLayout {
    std::vector<std::string> attribute_names;  // slot kBuiltinSlotCount + i: entity.<name>
    std::vector<expr::Type> attribute_types;   // from the registry's values, same order
    std::vector<std::string> join_topics;      // last(<topic>)
    std::vector<std::uint32_t> join_slots;     // the slot of each, same order
    std::vector<WindowSpec> windows;           // avg(temperature, 1h)…
    std::vector<std::uint32_t> window_slots;   // the slot of each, same order
    std::vector<GroupCall> group_calls;        // group_share(value >= 28)…
    std::vector<std::uint32_t> group_slots;    // the slot of each, same order
    std::uint32_t attribute_slot(std::size_t i) const {
        return kBuiltinSlotCount + static_cast<std::uint32_t>(i);
    }
    std::uint32_t join_slot(std::size_t i) const { return join_slots[i]; }
    std::uint32_t window_slot(std::size_t i) const { return window_slots[i]; }
    std::uint32_t group_slot(std::size_t i) const { return group_slots[i]; }
    std::size_t size() const {
        return kBuiltinSlotCount + attribute_names.size() + join_slots.size() +
               window_slots.size() + group_slots.size();
    }
    /// The slot for the next join or window.
    std::uint32_t next_slot() const { return static_cast<std::uint32_t>(size()); }
};

/// Whether a reading's or an attribute's value is of an expression type.
inline bool value_has_type(const Value& value, expr::Type type) {
    switch (type) {
        case expr::Type::Number:
            return std::holds_alternative<double>(value);
        case expr::Type::Bool:
            return std::holds_alternative<bool>(value);
        case expr::Type::String:
            return std::holds_alternative<std::string>(value);
    }
    return false;
}

struct CompiledAction {
    Template recipient;  // literal for a fixed stakeholder, else rendered per alert
    Template message;
    std::optional<Template> resolved_message;
    std::optional<expr::Program> when;
    std::optional<Template> flapping_message;
    /// Whose data its notifications carry (compiler/data_uses.h): checked against the sharing
    /// agreements when rules load and for each notification.
    std::vector<DataUse> carries;
};

/// A `publish` action: the derived signal's topic and the values set when the alert fires and
/// when it ends (1 and 0 unless given).
struct CompiledSignal {
    Template topic;
    std::optional<expr::Program> value;
    std::optional<expr::Program> resolved_value;
    /// Whose data the signal republishes under its owner's name (`owner`, the topic's provider).
    std::vector<DataUse> carries = {};
    std::string owner = "";
};

struct CompiledRule {
    std::string id;
    std::string description;
    std::string file;
    std::string listen;
    bool listens_to_signals = false;  // `listen` is a signal/ filter: readings of no entity
    /// Only these entities' readings (`entities:`); null: every reading `listen` matches.
    std::shared_ptr<const EntitySet> entities;
    expr::Program when;
    std::optional<expr::Program> clear;
    std::string when_text;   // as written, for explanations
    std::string clear_text;  // empty without `clear`
    Duration for_duration{0};
    Duration clear_for{0};
    Duration repeat{0};
    FlapPolicy flapping;
    Template key;
    bool key_is_entity = true;  // the common case, rendered without formatting
    /// What decides the alert states (listen, when, clear, for, key): a reloaded rule with the same
    /// id and fingerprint keeps its pending and firing alerts.
    std::string fingerprint;
    AlertSeverity severity = AlertSeverity::Warning;
    std::map<std::string, std::string> labels;
    std::vector<CompiledAction> actions;
    std::vector<CompiledSignal> signals;
    /// The entity attributes any condition of the rule reads: what a notification may show of
    /// the registry, each to the recipients allowed to receive it.
    std::vector<std::string> attributes_read;
    /// What the conditions read beyond the reading and the registry, by index in the layout.
    std::vector<std::uint32_t> windows;
    std::vector<std::uint32_t> joins;
    bool uses_calendar = false;
    /// Set when the conditions use group functions: the key names a group of entities.
    std::optional<GroupPlan> group;
    /// Conditions that change with time alone (windows, age(), calendar, stale members): every key
    /// is evaluated again each minute of rule time, not only when a reading comes.
    bool clock_driven = false;
    /// Keys are remembered while inactive, to evaluate them again on the clock or when a joined
    /// topic changes.
    bool tracks_keys() const { return clock_driven || !joins.empty(); }
};

struct RuleSet {
    std::vector<CompiledRule> rules;
    /// What evaluation reads of each rule, same order, and all their conditions packed together.
    std::vector<RuleCore> cores;
    ConditionPack conditions;
    SlotLayout layout;
    /// Every rule's `listen` filter, with the rule's index: a reading costs the rules it matches.
    TopicIndex listen_index;
    /// layout.join_topics (exact topics, no wildcard) to their index in that list.
    std::unordered_map<std::string, std::uint32_t, StringViewHash, std::equal_to<>> join_index;
    /// Series that windows read: filter → index in `series_retention`, how far back to keep.
    TopicIndex series_index;
    std::vector<Duration> series_retention;
    /// For each joined topic, the rules to evaluate again when its value changes.
    std::vector<std::vector<std::uint32_t>> join_rules;
    /// Topic filters to subscribe to: every rule's `listen` and every joined topic.
    const std::vector<std::string>& subscriptions() const { return subscription_filters; }
    /// Computed once by the compiler; see subscriptions().
    std::vector<std::string> subscription_filters;
};

}  // namespace passerelle::rules
