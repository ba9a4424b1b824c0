// SPDX-License-Identifier: Apache-2.0
// How the compiler asks its caller what names and caller-provided functions mean.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "rules/expr/types.h"

namespace passerelle::rules::expr {

/// A bare name passed to a caller function, as `temperature` in `avg(temperature, 1h)`. It is not
/// looked up as a variable: what it names is the function's business.
struct Name {
    std::string text;

    bool operator==(const Name&) const = default;
};

class Program;

/// An argument compiled on its own, for a caller function that evaluates it itself, once per
/// item it aggregates: `value >= 28` in `group_count(value >= 28)` (see argument_symbols()).
struct Expression {
    std::shared_ptr<const Program> program;
};

/// One argument of a caller function, as written: caller functions see literals and names, never
/// computed values, because they decide at compile time what to watch (a topic, a window). Those
/// that take calculations see every argument as an Expression.
struct Argument {
    std::variant<double, bool, std::string, Duration, Name, Expression> value;
    std::size_t offset = 0;  // where the argument is in the expression, as in ExprError
    std::size_t length = 0;
};

/// Resolves identifiers and caller functions at compile time. Implementations decide which slot
/// will carry each value at evaluation time. A compilation calls it from one thread.
class SymbolTable {
public:
    virtual ~SymbolTable() = default;

    /// The slot of a variable such as `value` or `entity.vulnerable`, if it exists.
    virtual std::optional<Slot> variable(std::string_view name) const = 0;

    /// All variable names, for "did you mean" suggestions.
    virtual std::vector<std::string> variable_names() const = 0;

    /// The string variable that holds the unit of number variable `name` at evaluation time, so
    /// that `value > 50 kW` converts `value` from it; nullopt when `name` has no known unit. By
    /// default `value`'s unit is `unit`, as in rule conditions, when that variable exists.
    virtual std::optional<std::string> unit_variable(std::string_view name) const {
        if (name != "value" || !variable("unit")) {
            return std::nullopt;
        }
        return "unit";
    }

    /// All caller function names, for "did you mean" suggestions and to tell an unknown function
    /// from a known one called with the wrong kind of arguments.
    virtual std::vector<std::string> function_names() const { return {}; }

    /// The symbols with which the arguments of caller function `name` are compiled, each as an
    /// Expression of its own, or nullptr when `name` takes literals and names only (the default).
    virtual SymbolTable* argument_symbols(std::string_view name) {
        (void)name;
        return nullptr;
    }

    /// Resolves a call such as `last("signal/ville/canicule-level")`.
    /// @return std::nullopt when `name` is not a caller function; an Error (its message shown to
    ///         the rule author, positioned on the call) when the arguments are wrong; otherwise the
    ///         slot that will carry the call's value, possibly newly allocated.
    virtual std::optional<Result<Slot>> call(std::string_view name,
                                             std::span<const Argument> args) {
        (void)name;
        (void)args;
        return std::nullopt;
    }
};

/// A SymbolTable from explicit lists, for tests and for callers with plain variables.
class MapSymbolTable final : public SymbolTable {
public:
    /// Resolves a call; may allocate a slot with allocate_slot().
    using Function = std::function<Result<Slot>(std::span<const Argument>)>;

    /// Declares a variable in the next free slot. A name must be declared once.
    Slot add_variable(std::string name, Type type);
    /// Declares a variable in a given slot; later allocations skip past it.
    void add_variable(std::string name, Slot slot);
    /// Declares a caller function. A name must be declared once.
    void add_function(std::string name, Function function);
    /// A fresh slot, for functions that need one per distinct call.
    Slot allocate_slot(Type type);
    /// One more than the highest slot index handed out or declared.
    std::uint32_t slot_count() const { return next_index_; }
    bool contains(std::string_view name) const;

    std::optional<Slot> variable(std::string_view name) const override;
    std::vector<std::string> variable_names() const override;
    std::vector<std::string> function_names() const override;
    std::optional<Result<Slot>> call(std::string_view name,
                                     std::span<const Argument> args) override;

private:
    std::map<std::string, Slot, std::less<>> variables_;
    std::map<std::string, Function, std::less<>> functions_;
    std::uint32_t next_index_ = 0;
};

}  // namespace passerelle::rules::expr
