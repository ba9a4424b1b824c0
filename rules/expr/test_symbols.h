// SPDX-License-Identifier: Apache-2.0
// Test fixtures: a symbol table with the names rule conditions use, and input value holders.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/expr/compiler.h"
#include "rules/expr/symbol_table.h"

namespace passerelle::rules::expr::testing {

/// Variables of every type, plus the caller functions `last("topic")` (one slot per topic) and
/// `avg(name, duration)`, as the rules engine will provide them.
class TestSymbols final : public SymbolTable {
public:
    TestSymbols() {
        variables_.add_variable("value", Type::Number);            // slot 0
        variables_.add_variable("threshold", Type::Number);        // slot 1
        variables_.add_variable("level", Type::Number);            // slot 2
        variables_.add_variable("entity.vulnerable", Type::Bool);  // slot 3
        variables_.add_variable("tension", Type::String);          // slot 4
        variables_.add_variable("reading.unit", Type::String);     // slot 5
        variables_.add_variable("flag", Type::Bool);               // slot 6
    }

    std::optional<Slot> variable(std::string_view name) const override {
        return variables_.variable(name);
    }
    std::vector<std::string> variable_names() const override { return variables_.variable_names(); }
    /// `value`'s unit is `reading.unit` here, not the default `unit`.
    std::optional<std::string> unit_variable(std::string_view name) const override {
        return name == "value" ? std::optional<std::string>("reading.unit") : std::nullopt;
    }
    std::vector<std::string> function_names() const override { return {"avg", "last"}; }

    std::optional<Result<Slot>> call(std::string_view name,
                                     std::span<const Argument> args) override {
        if (name == "last") {
            const auto* topic =
                args.size() == 1 ? std::get_if<std::string>(&args[0].value) : nullptr;
            if (topic == nullptr) {
                return resolved(make_error("",
                                           "'last' takes one topic in quotes, as in "
                                           "last(\"signal/ville/canicule-level\")"));
            }
            const auto it = topics_.find(*topic);
            if (it != topics_.end()) {
                return resolved(it->second);
            }
            const Slot slot = variables_.allocate_slot(Type::Number);
            topics_.emplace(*topic, slot);
            return resolved(slot);
        }
        if (name == "avg") {
            if (args.size() != 2 || !std::holds_alternative<Name>(args[0].value) ||
                !std::holds_alternative<Duration>(args[1].value)) {
                return resolved(make_error("rules.bad-window",
                                           "'avg' takes a quantity and a duration, as in "
                                           "avg(temperature, 1h)"));
            }
            last_avg_window = std::get<Duration>(args[1].value);
            last_avg_name = std::get<Name>(args[0].value).text;
            return resolved(variables_.allocate_slot(Type::Number));
        }
        return std::nullopt;
    }

    std::uint32_t slot_count() const { return variables_.slot_count(); }
    std::optional<Slot> topic_slot(const std::string& topic) const {
        const auto it = topics_.find(topic);
        return it == topics_.end() ? std::nullopt : std::optional<Slot>(it->second);
    }

    Duration last_avg_window{};
    std::string last_avg_name;

private:
    // Built in place: moving a Result<Slot> into the optional trips GCC 12's
    // -Wmaybe-uninitialized on std::variant in sanitizer builds.
    template <typename T>
    static std::optional<Result<Slot>> resolved(T value) {
        return std::optional<Result<Slot>>(std::in_place, std::move(value));
    }

    MapSymbolTable variables_;
    std::map<std::string, Slot> topics_;
};

/// Owns input values and presents them as the SlotView evaluate() takes.
class Inputs {
public:
    explicit Inputs(std::size_t count) : values_(count), pointers_(count, nullptr) {}

    // Emplaced from the raw double, bool or string: no Value temporary to move, which GCC 12
    // would flag with -Wmaybe-uninitialized in sanitizer builds.
    template <typename T>
    Inputs& set(std::uint32_t slot, T value) {
        values_[slot].emplace(std::move(value));
        pointers_[slot] = &*values_[slot];
        return *this;
    }
    Inputs& clear(std::uint32_t slot) {
        values_[slot].reset();
        pointers_[slot] = nullptr;
        return *this;
    }
    SlotView view() const { return pointers_; }

private:
    std::vector<std::optional<Value>> values_;
    std::vector<const Value*> pointers_;
};

}  // namespace passerelle::rules::expr::testing
