// SPDX-License-Identifier: Apache-2.0
// Compiled, immutable rules: what the engine evaluates and the gateway subscribes to.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/config/rule_spec.h"
#include "gateway/core/reading.h"
#include "rules/compiler/topic_index.h"
#include "rules/expr/program.h"
#include "rules/expr/types.h"
#include "rules/template/template.h"

namespace passerelle::rules {

/// Fixed evaluation slots every rule sees; entity attributes and joins follow them.
enum class BuiltinSlot : std::uint32_t { Value, Entity, Provider, Quantity, Unit, EntityType, Building };
inline constexpr std::uint32_t kBuiltinSlotCount = 7;

/// Where each slot's value comes from at evaluation time.
struct SlotLayout {
    std::vector<std::string> attribute_names;  // slot kBuiltinSlotCount + i: entity.<name>
    std::vector<expr::Type> attribute_types;   // from the registry's values, same order
    std::vector<std::string> join_topics;      // after the attributes: last(<topic>)
    std::uint32_t attribute_slot(std::size_t i) const {
        return kBuiltinSlotCount + static_cast<std::uint32_t>(i);
    }
    std::uint32_t join_slot(std::size_t i) const {
        return kBuiltinSlotCount + static_cast<std::uint32_t>(attribute_names.size() + i);
    }
    std::size_t size() const { return kBuiltinSlotCount + attribute_names.size() + join_topics.size(); }
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
};

struct CompiledRule {
    std::string id;
    std::string description;
    std::string file;
    std::string listen;
    expr::Program when;
    std::optional<expr::Program> clear;
    Duration for_duration{0};
    Template key;
    bool key_is_entity = true;  // the common case, rendered without formatting
    /// What decides the alert states (listen, when, clear, for, key): a reloaded rule with the same
    /// id and fingerprint keeps its pending and firing alerts.
    std::string fingerprint;
    AlertSeverity severity = AlertSeverity::Warning;
    std::map<std::string, std::string> labels;
    std::vector<CompiledAction> actions;
};

struct RuleSet {
    std::vector<CompiledRule> rules;
    SlotLayout layout;
    /// Every rule's `listen` filter, with the rule's index: a reading costs the rules it matches.
    TopicIndex listen_index;
    /// layout.join_topics (exact topics, no wildcard) to their index in that list.
    std::unordered_map<std::string, std::uint32_t, StringViewHash, std::equal_to<>> join_index;
    /// Topic filters to subscribe to: every rule's `listen` and every joined topic.
    const std::vector<std::string>& subscriptions() const { return subscription_filters; }
    /// Computed once by the compiler; see subscriptions().
    std::vector<std::string> subscription_filters;
};

}  // namespace passerelle::rules
