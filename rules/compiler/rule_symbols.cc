// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/rule_symbols.h"

#include <array>

#include <fmt/format.h>

#include "gateway/core/topic.h"

namespace passerelle::rules {
namespace {

struct BuiltinName {
    std::string_view name;
    BuiltinSlot slot;
    expr::Type type;
};

constexpr std::array<BuiltinName, kBuiltinSlotCount> kBuiltins{{
    {"value", BuiltinSlot::Value, expr::Type::Number},
    {"entity", BuiltinSlot::Entity, expr::Type::String},
    {"provider", BuiltinSlot::Provider, expr::Type::String},
    {"quantity", BuiltinSlot::Quantity, expr::Type::String},
    {"unit", BuiltinSlot::Unit, expr::Type::String},
    {"entity.type", BuiltinSlot::EntityType, expr::Type::String},
    {"entity.building", BuiltinSlot::Building, expr::Type::String},
}};

expr::Type type_of(const Value& value) {
    if (std::holds_alternative<double>(value)) {
        return expr::Type::Number;
    }
    return std::holds_alternative<bool>(value) ? expr::Type::Bool : expr::Type::String;
}

}  // namespace

RuleSymbols::RuleSymbols(const Territory& territory, bool any_attribute)
    : any_attribute_(any_attribute) {
    // An attribute's type is the type of its first value in the registry; entities whose value has
    // another type read as "unknown" at evaluation.
    for (const Entity& entity : territory.entities.all()) {
        for (const auto& [name, value] : entity.attributes) {
            const auto it =
                std::find(layout_.attribute_names.begin(), layout_.attribute_names.end(), name);
            if (it == layout_.attribute_names.end()) {
                layout_.attribute_names.push_back(name);
                layout_.attribute_types.push_back(type_of(value));
            }
        }
    }
}

std::optional<expr::Slot> RuleSymbols::variable(std::string_view name) const {
    for (const auto& builtin : kBuiltins) {
        if (builtin.name == name) {
            return expr::Slot{static_cast<std::uint32_t>(builtin.slot), builtin.type};
        }
    }
    if (name.starts_with("entity.")) {
        const std::string_view attribute = name.substr(7);
        for (std::size_t i = 0; i < layout_.attribute_names.size(); ++i) {
            if (layout_.attribute_names[i] == attribute) {
                return expr::Slot{layout_.attribute_slot(i), layout_.attribute_types[i]};
            }
        }
        if (any_attribute_ && is_identifier(attribute)) {
            // Check-only: the program is never evaluated, so no slot of its own is needed.
            return expr::Slot{static_cast<std::uint32_t>(BuiltinSlot::Value), expr::Type::Bool};
        }
    }
    return std::nullopt;
}

std::vector<std::string> RuleSymbols::variable_names() const {
    std::vector<std::string> names;
    for (const auto& builtin : kBuiltins) {
        names.emplace_back(builtin.name);
    }
    for (const auto& attribute : layout_.attribute_names) {
        names.push_back("entity." + attribute);
    }
    return names;
}

std::vector<std::string> RuleSymbols::function_names() const { return {"last"}; }

std::optional<Result<expr::Slot>> RuleSymbols::call(std::string_view name,
                                                    std::span<const expr::Argument> args) {
    if (name != "last") {
        return std::nullopt;
    }
    const auto* topic = args.size() == 1 ? std::get_if<std::string>(&args[0].value) : nullptr;
    if (topic == nullptr) {
        return std::optional<Result<expr::Slot>>(
            std::in_place,
            make_error("expr.arguments",
                       "last() takes one topic in quotes, e.g. last(\"signal/ville/canicule-level\")"));
    }
    if (auto canonical = parse_canonical_topic(*topic); !canonical) {
        return std::optional<Result<expr::Slot>>(
            std::in_place, make_error("expr.arguments", canonical.error().message));
    }
    auto& joins = layout_.join_topics;
    auto it = std::find(joins.begin(), joins.end(), *topic);
    if (it == joins.end()) {
        joins.push_back(*topic);
        it = joins.end() - 1;
    }
    return std::optional<Result<expr::Slot>>(
        std::in_place, expr::Slot{layout_.join_slot(static_cast<std::size_t>(it - joins.begin())),
                                  expr::Type::Number});
}

}  // namespace passerelle::rules
