// SPDX-License-Identifier: Apache-2.0
// Built-in function tests, through compiled expressions so that arity and absent rules apply.
#include "rules/expr/builtins.h"

#include <string>

#include <catch2/catch.hpp>

#include "rules/expr/compiler.h"
#include "rules/expr/test_symbols.h"

namespace passerelle::rules::expr {
namespace {

std::string eval(std::string_view source) {
    testing::TestSymbols symbols;
    const auto program = compile(source, symbols);
    REQUIRE(program.has_value());
    EvalScratch scratch(*program);
    const testing::Inputs inputs(16);
    return program->evaluate(inputs.view(), scratch).to_string();
}

}  // namespace

TEST_CASE("abs, floor, ceil", "[builtins]") {
    CHECK(eval("abs(-3)") == "3");
    CHECK(eval("abs(2.5)") == "2.5");
    CHECK(eval("floor(2.7)") == "2");
    CHECK(eval("floor(-2.1)") == "-3");
    CHECK(eval("ceil(2.1)") == "3");
    CHECK(eval("ceil(-2.7)") == "-2");
}

TEST_CASE("min and max take two or more numbers", "[builtins]") {
    CHECK(eval("min(3, 1)") == "1");
    CHECK(eval("min(3, 1, -4, 2)") == "-4");
    CHECK(eval("max(3, 1)") == "3");
    CHECK(eval("max(3, 1, 9, 2)") == "9");
    CHECK(eval("max(value, 1)") == "absent");
}

TEST_CASE("round, to an integer or to decimals", "[builtins]") {
    CHECK(eval("round(2.5)") == "3");
    CHECK(eval("round(-2.5)") == "-3");
    CHECK(eval("round(2.4)") == "2");
    CHECK(eval("round(26.56, 1)") == "26.6");
    CHECK(eval("round(1234, -2)") == "1200");
    CHECK(eval("round(1.005, 0)") == "1");
    CHECK(eval("round(1e300, 15)") == "1e+300");
    // Meaningless digit counts have no answer.
    CHECK(eval("round(1, 0.5)") == "absent");
    CHECK(eval("round(1, 16)") == "absent");
    CHECK(eval("round(1, -16)") == "absent");
}

TEST_CASE("clamp keeps a number between bounds", "[builtins]") {
    CHECK(eval("clamp(5, 0, 10)") == "5");
    CHECK(eval("clamp(-5, 0, 10)") == "0");
    CHECK(eval("clamp(50, 0, 10)") == "10");
    CHECK(eval("clamp(5, 10, 0)") == "absent");
}

TEST_CASE("the built-in table is consistent", "[builtins]") {
    for (const Builtin& builtin : builtins()) {
        CHECK_FALSE(builtin.summary.empty());
        CHECK(builtin.min_args <= builtin.max_args);
        CHECK(builtin.apply != nullptr);
        REQUIRE(find_builtin(builtin.name).has_value());
        CHECK(builtins()[*find_builtin(builtin.name)].name == builtin.name);
    }
    CHECK_FALSE(find_builtin("last").has_value());
    CHECK(builtin_names().size() == builtins().size());
}

}  // namespace passerelle::rules::expr
