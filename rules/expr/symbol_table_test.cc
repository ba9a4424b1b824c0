// SPDX-License-Identifier: Apache-2.0
// MapSymbolTable tests: slot assignment, name lists and caller functions.
#include "rules/expr/symbol_table.h"

#include <catch2/catch.hpp>

#include "rules/expr/compiler.h"

namespace passerelle::rules::expr {

TEST_CASE("variables get consecutive slots unless placed", "[symbol_table]") {
    MapSymbolTable table;
    CHECK(table.add_variable("value", Type::Number) == Slot{0, Type::Number});
    table.add_variable("tension", Slot{5, Type::String});
    CHECK(table.add_variable("flag", Type::Bool) == Slot{6, Type::Bool});
    CHECK(table.slot_count() == 7);
    CHECK(table.variable("tension") == Slot{5, Type::String});
    CHECK_FALSE(table.variable("missing").has_value());
    CHECK(table.variable_names() == std::vector<std::string>{"flag", "tension", "value"});
    CHECK(table.contains("value"));
    CHECK_FALSE(table.call("value", {}).has_value());
}

TEST_CASE("caller functions see their literal arguments", "[symbol_table]") {
    MapSymbolTable table;
    table.add_variable("temperature", Type::Number);
    std::vector<Argument> seen;
    table.add_function("age", [&](std::span<const Argument> args) -> Result<Slot> {
        seen.assign(args.begin(), args.end());
        if (args.empty()) {
            return make_error("rules.age", "'age' needs a quantity");
        }
        return table.allocate_slot(Type::Number);
    });
    CHECK(table.function_names() == std::vector<std::string>{"age"});

    const auto program = compile_condition("age(temperature, 'x', -2, true, 15min) > 7200", table);
    REQUIRE(program.has_value());
    REQUIRE(seen.size() == 5);
    CHECK(std::get<Name>(seen[0].value) == Name{"temperature"});
    CHECK(seen[0].offset == 4);
    CHECK(seen[0].length == 11);
    CHECK(std::get<std::string>(seen[1].value) == "x");
    CHECK(std::get<double>(seen[2].value) == -2.0);
    CHECK(std::get<bool>(seen[3].value));
    CHECK(std::get<Duration>(seen[4].value) == std::chrono::minutes(15));
    CHECK(program->slots()[0].slot == Slot{1, Type::Number});
    CHECK(program->slots()[0].source == "age(temperature, \"x\", -2, true, 15min)");

    const auto failed = compile_condition("age() > 1", table);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == ExprError{0, 5, "rules.age", "'age' needs a quantity"});
}

}  // namespace passerelle::rules::expr
