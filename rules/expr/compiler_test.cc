// SPDX-License-Identifier: Apache-2.0
// Compiler tests: name resolution, caller functions, type errors with exact texts and offsets.
#include "rules/expr/compiler.h"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/expr/test_symbols.h"

namespace passerelle::rules::expr {
namespace {

using testing::TestSymbols;

std::vector<ExprError> condition_errors(std::string_view source) {
    TestSymbols symbols;
    const auto program = compile_condition(source, symbols);
    REQUIRE_FALSE(program.has_value());
    return program.errors();
}

ExprError condition_error(std::string_view source) {
    const auto errors = condition_errors(source);
    REQUIRE(errors.size() == 1);
    return errors.front();
}

ExprError condition_error_with(SymbolTable& symbols, std::string_view source) {
    const auto program = compile_condition(source, symbols);
    REQUIRE_FALSE(program.has_value());
    REQUIRE(program.errors().size() == 1);
    return program.errors().front();
}

Type type_of(std::string_view source) {
    TestSymbols symbols;
    const auto program = compile(source, symbols);
    REQUIRE(program.has_value());
    return program->result_type();
}

}  // namespace

TEST_CASE("well-typed expressions compile with their result type", "[compiler]") {
    CHECK(type_of("value >= 28 and entity.vulnerable") == Type::Bool);
    CHECK(type_of("round(value * 1.8 + 32, 1)") == Type::Number);
    CHECK(type_of("tension") == Type::String);
    CHECK(type_of("tension < 'm' or reading.unit == \"Cel\"") == Type::Bool);
    CHECK(type_of("level in [3, 4] and tension not in ['orange', 'rouge']") == Type::Bool);
    CHECK(type_of("flag == entity.vulnerable") == Type::Bool);
    CHECK(type_of("last(\"signal/ville/canicule-level\")") == Type::Number);
}

TEST_CASE("unknown names get a suggestion", "[compiler]") {
    CHECK(condition_error("valeu > 3") ==
          ExprError{0, 5, "expr.unknown-identifier",
                    "unknown identifier 'valeu'; did you mean 'value'?"});
    CHECK(condition_error("entity.vulnerabel and flag").message ==
          "unknown identifier 'entity.vulnerabel'; did you mean 'entity.vulnerable'?");
    CHECK(condition_error("flag == True").message ==
          "unknown identifier 'True'; did you mean 'true'?");
    CHECK(condition_error("pressure > 3").message == "unknown identifier 'pressure'");
    CHECK(condition_error("abs > 3") ==
          ExprError{0, 3, "expr.unknown-identifier",
                    "'abs' is a function; call it with parentheses, as in abs(...)"});
    CHECK(condition_error("last == 3").message ==
          "'last' is a function; call it with parentheses, as in last(...)");
}

TEST_CASE("unknown functions get a suggestion over built-ins and caller functions", "[compiler]") {
    CHECK(
        condition_error("lsat(\"signal/ville/canicule-level\") >= 3") ==
        ExprError{0, 4, "expr.unknown-function", "unknown function 'lsat'; did you mean 'last'?"});
    CHECK(condition_error("roud(value) > 3").message ==
          "unknown function 'roud'; did you mean 'round'?");
    CHECK(condition_error("sqrt(value) > 3").message == "unknown function 'sqrt'");
    CHECK(condition_error("lsat(value + 1) > 3").message ==
          "unknown function 'lsat'; did you mean 'last'?");
    CHECK(condition_error("value(3) > 1") ==
          ExprError{0, 5, "expr.unknown-function", "'value' is a value, not a function"});
}

TEST_CASE("caller functions receive literal arguments and give slots", "[compiler]") {
    TestSymbols symbols;
    const auto program = compile_condition(
        "last(\"signal/ville/canicule-level\") >= 3 and value >= 28 and "
        "last('signal/ville/canicule-level') < 5",
        symbols);
    REQUIRE(program.has_value());
    const auto slot = symbols.topic_slot("signal/ville/canicule-level");
    REQUIRE(slot.has_value());
    CHECK(slot->index == 7);
    REQUIRE(program->slots().size() == 2);
    CHECK(program->slots()[0].slot == *slot);
    CHECK(program->slots()[0].source == "last(\"signal/ville/canicule-level\")");
    CHECK(program->slots()[1].source == "value");
    CHECK(program->slot_count() == 8);

    const auto avg = compile_condition("avg(temperature, 1h30min) > 26.5", symbols);
    REQUIRE(avg.has_value());
    CHECK(symbols.last_avg_name == "temperature");
    CHECK(symbols.last_avg_window == std::chrono::minutes(90));
}

TEST_CASE("caller functions report bad arguments", "[compiler]") {
    CHECK(
        condition_error("last(3) > 1") ==
        ExprError{0, 7, "expr.arguments",
                  "'last' takes one topic in quotes, as in last(\"signal/ville/canicule-level\")"});
    CHECK(condition_error("avg(temperature, 3) > 1") ==
          ExprError{0, 19, "rules.bad-window",
                    "'avg' takes a quantity and a duration, as in avg(temperature, 1h)"});
    CHECK(condition_error("last(value + 1) > 3") ==
          ExprError{5, 9, "expr.arguments",
                    "the arguments of 'last' must be plain values or names, not calculations"});
}

// `count_of(condition)` takes a calculation, compiled on its own with `value` only.
class AggregateSymbols final : public SymbolTable {
public:
    AggregateSymbols() { members_.add_variable("value", Type::Number); }
    std::optional<Slot> variable(std::string_view name) const override {
        return members_.variable(name);
    }
    std::vector<std::string> variable_names() const override { return members_.variable_names(); }
    std::vector<std::string> function_names() const override { return {"count_of"}; }
    SymbolTable* argument_symbols(std::string_view name) override {
        return name == "count_of" ? &members_ : nullptr;
    }
    std::optional<Result<Slot>> call(std::string_view name,
                                     std::span<const Argument> args) override {
        if (name != "count_of") {
            return std::nullopt;
        }
        for (const auto& argument : args) {
            received.push_back(std::get<Expression>(argument.value).program->canonical());
        }
        return std::optional<Result<Slot>>(std::in_place, Slot{5, Type::Number});
    }

    std::vector<std::string> received;

private:
    MapSymbolTable members_;
};

TEST_CASE("caller functions may take calculations, compiled with symbols of their own",
          "[compiler]") {
    AggregateSymbols symbols;
    const auto program =
        compile_condition("count_of(value >= 28) > 2 and count_of(value) > 1", symbols);
    REQUIRE(program.has_value());
    CHECK(symbols.received == std::vector<std::string>{"(value >= 28)", "value"});
    // Errors inside an argument point into the whole expression.
    CHECK(condition_error_with(symbols, "value > 1 and count_of(valeu >= 28) > 2") ==
          ExprError{23, 5, "expr.unknown-identifier",
                    "unknown identifier 'valeu'; did you mean 'value'?"});
}

TEST_CASE("type errors name the operator and the side", "[compiler]") {
    CHECK(condition_error("value > 28 and 3") ==
          ExprError{15, 1, "expr.type",
                    "'and' needs true/false on both sides, but the right side is a number"});
    CHECK(condition_error("value and level > 3") ==
          ExprError{0, 5, "expr.type",
                    "'and' needs true/false on both sides, but the left side is a number"});
    CHECK(condition_error("tension || flag").message ==
          "'or' needs true/false on both sides, but the left side is a string");
    CHECK(condition_error("value == tension") ==
          ExprError{0, 16, "expr.type", "cannot compare a number with a string"});
    CHECK(condition_error("flag != 1").message ==
          "cannot compare a true/false value with a number");
    CHECK(condition_error("not value") ==
          ExprError{4, 5, "expr.type", "'not' needs true/false, but this is a number"});
    CHECK(condition_error("-tension == 3") ==
          ExprError{1, 7, "expr.type", "'-' needs a number, but this is a string"});
    CHECK(condition_error("tension + 1 > 2") ==
          ExprError{0, 7, "expr.type",
                    "'+' needs numbers on both sides, but the left side is a string"});
    CHECK(condition_error("(value > 3) * 2 > 0") ==
          ExprError{0, 11, "expr.type",
                    "'*' needs numbers on both sides, but the left side is a true/false value"});
    CHECK(condition_error("entity.vulnerable < true") ==
          ExprError{0, 24, "expr.type",
                    "'<' cannot order true/false values; only '==' and '!=' compare them"});
    CHECK(condition_error("1h > 'x'") ==
          ExprError{0, 8, "expr.type", "cannot compare a number with a string"});
}

TEST_CASE("both sides are reported, cascades are not", "[compiler]") {
    CHECK(condition_errors("value and tension") ==
          std::vector<ExprError>{
              {0, 5, "expr.type",
               "'and' needs true/false on both sides, but the left side is a number"},
              {10, 7, "expr.type",
               "'and' needs true/false on both sides, but the right side is a string"}});
    const auto errors = condition_errors("levle > 2 and valeu > 3");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].message == "unknown identifier 'levle'; did you mean 'level'?");
    CHECK(errors[1].offset == 14);
    // One unknown name, one error: nothing above it complains about an unknown type.
    CHECK(condition_errors("valeu + 1 > 3 and not (valeu * 2 == 1)").size() == 2);
}

TEST_CASE("in lists hold plain values of the left side's type", "[compiler]") {
    CHECK(condition_error("level in [3, 'x']") ==
          ExprError{13, 3, "expr.type",
                    "this item is a string, but the left side of 'in' is a number"});
    CHECK(condition_error("tension not in [1]").message ==
          "this item is a number, but the left side of 'not in' is a string");
    CHECK(condition_error("level in [3, value]") ==
          ExprError{13, 5, "expr.syntax",
                    "list items must be plain values such as 3 or 'rouge', not names or "
                    "calculations"});
    CHECK(condition_error("level in []") ==
          ExprError{0, 11, "expr.syntax", "the list after 'in' is empty"});
}

TEST_CASE("built-in functions check their arguments", "[compiler]") {
    CHECK(condition_error("abs(1, 2) > 0") ==
          ExprError{0, 9, "expr.arguments", "'abs' takes 1 argument, but 2 were given"});
    CHECK(condition_error("min(1) > 0").message ==
          "'min' takes at least 2 arguments, but 1 was given");
    CHECK(condition_error("round(1, 2, 3) > 0").message ==
          "'round' takes 1 or 2 arguments, but 3 were given");
    CHECK(condition_error("clamp() > 0").message == "'clamp' takes 3 arguments, but 0 were given");
    CHECK(condition_error("abs(tension) > 0") ==
          ExprError{4, 7, "expr.type", "'abs' needs a number, but argument 1 is a string"});
    CHECK(condition_error("max(1, 2, flag) > 0").message ==
          "'max' needs a number, but argument 3 is a true/false value");
}

TEST_CASE("a condition must be true or false", "[compiler]") {
    CHECK(condition_error("value + 1") ==
          ExprError{0, 9, "expr.not-a-condition",
                    "a condition must be true or false, but this is a number"});
    CHECK(condition_error("tension").message ==
          "a condition must be true or false, but this is a string");
    TestSymbols symbols;
    CHECK(compile("value + 1", symbols).has_value());
}

TEST_CASE("syntax errors come alone, from the parser", "[compiler]") {
    CHECK(condition_errors("valeu > (3") ==
          std::vector<ExprError>{{10, 0, "expr.syntax", "expected ')' to close '(' at column 9"}});
}

TEST_CASE("a number with a unit compares with value, or with another of its dimension",
          "[compiler][units]") {
    CHECK(type_of("value > 50 kW and value < 3 m3") == Type::Bool);
    CHECK(type_of("28 \u00b0C <= value") == Type::Bool);
    CHECK(type_of("3 kW > 2 W") == Type::Bool);
    TestSymbols symbols;
    const auto program = compile_condition("value > 50 kW", symbols);
    REQUIRE(program.has_value());
    CHECK(program->disassemble() ==
          "  0  load          #0 value (number)\n"
          "  1  load          #5 reading.unit (string)\n"
          "  2  convert-unit  kW\n"
          "  3  constant      50\n"
          "  4  greater       number\n");
}

TEST_CASE("by default value's unit is the variable unit", "[compiler][units]") {
    MapSymbolTable symbols;
    symbols.add_variable("value", Type::Number);
    CHECK(condition_error_with(symbols, "value > 50 kW").code == "expr.unit");
    symbols.add_variable("unit", Type::String);
    const auto program = compile_condition("value > 50 kW", symbols);
    REQUIRE(program.has_value());
    CHECK(program->slots()[1].source == "unit");
}

TEST_CASE("numbers with units where no unit can be checked are errors at the literal",
          "[compiler][units]") {
    CHECK(condition_error("avg(temperature, 1h) >= 28 Cel") ==
          ExprError{24, 6, "expr.unit",
                    "'avg(temperature, 1h)' has no unit known when the rules load, so it "
                    "cannot be compared with '28 Cel': only value, the reading's number, is "
                    "converted from the reading's unit; write a plain number in the unit of the "
                    "readings (28 for Cel, 301.15 for K)"});
    CHECK(condition_error("value * 1000 > 50 kW").offset == 15);
    CHECK(condition_error("threshold > 50 kW").code == "expr.unit");
    CHECK(condition_error("3 kW > 2").message.starts_with("the plain number '2' has no unit"));
    CHECK(condition_error("max(value, 3 kW) > 2") ==
          ExprError{11, 4, "expr.unit",
                    "a number with a unit can only be compared with value, as in 'value > 3 "
                    "kW'; write a plain number here (3000 for W, 3 for kW)"});
    CHECK(condition_error("value in [3 kW, 4]").offset == 10);
    CHECK(condition_error("avg(power, 3 kW) > 2").offset == 11);
    CHECK(condition_error("value + 2 Cel > 3").offset == 8);
}

TEST_CASE("numbers of different dimensions cannot be compared", "[compiler][units]") {
    CHECK(condition_error("3 kW > 2 m3") ==
          ExprError{0, 11, "expr.unit", "cannot compare '3 kW' (a power) with '2 m3' (a volume)"});
    CHECK(type_of("value > 3 kW and value < 5 m3") == Type::Bool);
}

TEST_CASE("the number of reported errors is bounded", "[compiler]") {
    std::string many = "a0";
    for (int i = 1; i < 40; ++i) {
        many += " and a" + std::to_string(i);
    }
    CHECK(condition_errors(many).size() == kMaxReportedErrors);
}

TEST_CASE("every error code is documented", "[compiler]") {
    std::vector<std::string_view> documented;
    for (const auto& info : error_codes()) {
        CHECK_FALSE(info.summary.empty());
        documented.push_back(info.code);
    }
    for (const std::string_view code :
         {codes::kSyntax, codes::kTooLong, codes::kTooDeep, codes::kUnknownIdentifier,
          codes::kUnknownFunction, codes::kType, codes::kArguments, codes::kNotACondition,
          codes::kUnit}) {
        CHECK(std::find(documented.begin(), documented.end(), code) != documented.end());
    }
}

TEST_CASE("errors map to diagnostics on a one-line scalar", "[compiler]") {
    const SourceSpan start{"rules/canicule.yaml", 14, 11, 1};
    const Diagnostic diagnostic = to_diagnostic(condition_error("valeu >= 28"), start);
    CHECK(diagnostic.code == "expr.unknown-identifier");
    CHECK(diagnostic.span.file == "rules/canicule.yaml");
    CHECK(diagnostic.span.line == 14);
    CHECK(diagnostic.span.column == 11);
    CHECK(diagnostic.span.length == 5);
    CHECK(format_diagnostic(diagnostic, "    when: valeu >= 28") ==
          "rules/canicule.yaml:14:11: error[expr.unknown-identifier]: unknown identifier 'valeu'; "
          "did you mean 'value'?\n"
          "   14 |     when: valeu >= 28\n"
          "      |           ^~~~~\n");
    const Diagnostic at_end = to_diagnostic(condition_error("value >="), start);
    CHECK(at_end.span.column == 19);
    CHECK(at_end.span.length == 1);
}

}  // namespace passerelle::rules::expr
