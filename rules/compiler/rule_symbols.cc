// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/rule_symbols.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "gateway/core/topic.h"

namespace passerelle::rules {
namespace {

struct BuiltinName {
    std::string_view name;
    BuiltinSlot slot;
    expr::Type type;
};

// The reading and its registry entry; the calendar slots are reached through hour() and the like.
constexpr std::array<BuiltinName, 7> kBuiltins{{
    {"value", BuiltinSlot::Value, expr::Type::Number},
    {"entity", BuiltinSlot::Entity, expr::Type::String},
    {"provider", BuiltinSlot::Provider, expr::Type::String},
    {"quantity", BuiltinSlot::Quantity, expr::Type::String},
    {"unit", BuiltinSlot::Unit, expr::Type::String},
    {"entity.type", BuiltinSlot::EntityType, expr::Type::String},
    {"entity.building", BuiltinSlot::Building, expr::Type::String},
}};

struct CalendarName {
    std::string_view name;
    BuiltinSlot slot;
};

constexpr std::array<CalendarName, 5> kCalendar{{
    {"hour", BuiltinSlot::Hour},
    {"minute", BuiltinSlot::Minute},
    {"weekday", BuiltinSlot::Weekday},
    {"day", BuiltinSlot::Day},
    {"month", BuiltinSlot::Month},
}};

std::optional<Result<expr::Slot>> failure(std::string message) {
    return std::optional<Result<expr::Slot>>(std::in_place,
                                             make_error("expr.arguments", std::move(message)));
}

void add_unique(std::vector<std::uint32_t>& list, std::uint32_t index) {
    if (std::find(list.begin(), list.end(), index) == list.end()) {
        list.push_back(index);
    }
}

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

std::vector<std::string> RuleSymbols::function_names() const {
    std::vector<std::string> names{"last", "age"};
    for (const auto& [name, slot] : kCalendar) {
        names.emplace_back(name);
    }
    for (int kind = 0; kind < static_cast<int>(WindowKind::Age); ++kind) {
        names.emplace_back(to_string(static_cast<WindowKind>(kind)));
    }
    for (int function = 0; function <= static_cast<int>(GroupFunction::Max); ++function) {
        names.emplace_back(to_string(static_cast<GroupFunction>(function)));
    }
    return names;
}

void RuleSymbols::begin_rule(std::string_view listen, bool key_is_group) {
    listen_ = listen;
    key_is_group_ = key_is_group;
    uses_ = RuleUses{};
}

RuleUses RuleSymbols::end_rule() { return std::exchange(uses_, RuleUses{}); }

std::optional<Result<expr::Slot>> RuleSymbols::call(std::string_view name,
                                                    std::span<const expr::Argument> args) {
    if (name == "last") {
        return join(args);
    }
    for (const auto& [calendar, slot] : kCalendar) {
        if (calendar != name) {
            continue;
        }
        if (!args.empty()) {
            return failure(fmt::format("{}() takes no argument: it is the time of the evaluation",
                                       name));
        }
        uses_.calendar = true;
        return std::optional<Result<expr::Slot>>(
            std::in_place, expr::Slot{static_cast<std::uint32_t>(slot), expr::Type::Number});
    }
    if (const auto kind = window_kind(name)) {
        return window(*kind, args);
    }
    if (const auto function = group_function(name)) {
        return group(*function, args);
    }
    return std::nullopt;
}

expr::SymbolTable* RuleSymbols::argument_symbols(std::string_view name) {
    const auto function = group_function(name);
    return function && (reads_condition(*function) || reads_number(*function)) ? &members_
                                                                               : nullptr;
}

std::optional<Result<expr::Slot>> RuleSymbols::group(GroupFunction function,
                                                     std::span<const expr::Argument> args) {
    const std::string_view name = to_string(function);
    if (!key_is_group_) {
        return failure(fmt::format(
            "{}() reads the group of entities whose readings share the rule's key, but this "
            "rule's key names the entity ({{{{entity}}}} is the default key): one entity per "
            "alert, no group; give the rule a key such as key: \"{{{{building}}}}\"",
            name));
    }
    GroupCall call{function, nullptr};
    if (reads_condition(function) || reads_number(function)) {
        const auto* member =
            args.size() == 1 ? std::get_if<expr::Expression>(&args[0].value) : nullptr;
        const expr::Type wanted = reads_condition(function) ? expr::Type::Bool : expr::Type::Number;
        if (member == nullptr || member->program->result_type() != wanted) {
            return failure(reads_condition(function)
                               ? fmt::format("{0}() takes a condition about each member, as in "
                                             "{0}(value >= 28)",
                                             name)
                               : fmt::format("{0}() takes a number of each member, as in "
                                             "{0}(value)",
                                             name));
        }
        call.member = member->program;
    } else if (!args.empty()) {
        return failure(fmt::format("{}() takes no argument", name));
    }
    auto& calls = layout_.group_calls;
    auto it = std::find(calls.begin(), calls.end(), call);
    if (it == calls.end()) {
        layout_.group_slots.push_back(layout_.next_slot());
        calls.push_back(std::move(call));
        it = calls.end() - 1;
    }
    const auto index = static_cast<std::uint32_t>(it - calls.begin());
    add_unique(uses_.groups, index);
    return std::optional<Result<expr::Slot>>(
        std::in_place, expr::Slot{layout_.group_slot(index), expr::Type::Number});
}

std::optional<Result<expr::Slot>> RuleSymbols::join(std::span<const expr::Argument> args) {
    const auto* topic = args.size() == 1 ? std::get_if<std::string>(&args[0].value) : nullptr;
    if (topic == nullptr) {
        return failure(
            "last() takes one topic in quotes, e.g. last(\"signal/ville/canicule-level\")");
    }
    if (auto canonical = parse_canonical_topic(*topic); !canonical) {
        return failure(canonical.error().message);
    }
    auto& joins = layout_.join_topics;
    auto it = std::find(joins.begin(), joins.end(), *topic);
    if (it == joins.end()) {
        layout_.join_slots.push_back(layout_.next_slot());
        joins.push_back(*topic);
        it = joins.end() - 1;
    }
    const auto index = static_cast<std::uint32_t>(it - joins.begin());
    add_unique(uses_.joins, index);
    return std::optional<Result<expr::Slot>>(
        std::in_place, expr::Slot{layout_.join_slot(index), expr::Type::Number});
}

std::optional<Result<expr::Slot>> RuleSymbols::window(WindowKind kind,
                                                      std::span<const expr::Argument> args) {
    const bool is_age = kind == WindowKind::Age;
    const std::string usage =
        is_age ? "age() takes nothing, a quantity or a topic in quotes: age(), age(temperature), "
                 "age(\"signal/ville/outdoor-temperature\")"
               : fmt::format("{0}() takes a quantity or a topic in quotes, a duration and optionally "
                             "hours of the day, as in {0}(temperature, 2h) or "
                             "{0}(flow, 3d, \"02:00-05:00\")",
                             to_string(kind));
    if (is_age ? args.size() > 1 : args.size() < 2 || args.size() > 3) {
        return failure(usage);
    }
    WindowSpec spec;
    spec.kind = kind;
    if (!args.empty()) {
        if (const auto* name = std::get_if<expr::Name>(&args[0].value)) {
            if (name->text != "value") {
                if (!is_identifier(name->text)) {
                    return failure(fmt::format("'{}' is not a quantity name", name->text));
                }
                if (listen_.ends_with("#")) {
                    return failure(fmt::format(
                        "{}({}, …) reads the '{}' readings of the same source as the rule's, which "
                        "needs a listen filter ending with the quantity, as in "
                        "telemetry/+/+/temperature; or give a topic in quotes",
                        to_string(kind), name->text, name->text));
                }
                spec.quantity = name->text;
            }
        } else if (const auto* topic = std::get_if<std::string>(&args[0].value)) {
            if (auto canonical = parse_canonical_topic(*topic); !canonical) {
                return failure(canonical.error().message);
            }
            spec.topic = *topic;
        } else {
            return failure(usage);
        }
    }
    if (!is_age) {
        const auto* span = std::get_if<Duration>(&args[1].value);
        if (span == nullptr || span->count() <= 0) {
            return failure(usage);
        }
        spec.span = *span;
        if (args.size() == 3) {
            const auto* hours = std::get_if<std::string>(&args[2].value);
            spec.during = hours != nullptr ? parse_day_range(*hours) : std::nullopt;
            if (!spec.during) {
                return failure(fmt::format(
                    "hours of the day are written \"HH:MM-HH:MM\", as \"02:00-05:00\" or "
                    "\"22:00-06:00\" across midnight; {}",
                    usage));
            }
            uses_.calendar = true;
        }
    }
    auto& windows = layout_.windows;
    auto it = std::find(windows.begin(), windows.end(), spec);
    if (it == windows.end()) {
        layout_.window_slots.push_back(layout_.next_slot());
        windows.push_back(spec);
        it = windows.end() - 1;
    }
    const auto index = static_cast<std::uint32_t>(it - windows.begin());
    add_unique(uses_.windows, index);
    return std::optional<Result<expr::Slot>>(
        std::in_place, expr::Slot{layout_.window_slot(index), expr::Type::Number});
}

}  // namespace passerelle::rules
