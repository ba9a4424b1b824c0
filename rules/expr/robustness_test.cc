// SPDX-License-Identifier: Apache-2.0
// Property tests over generated input: never a crash, errors always inside the text, and the
// canonical form of every compiled expression compiles back to a program with the same results.
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/expr/compiler.h"
#include "rules/expr/test_symbols.h"

namespace passerelle::rules::expr {
namespace {

using testing::Inputs;
using testing::TestSymbols;

// Fragments that make near-valid expressions likely, plus everything the lexer must reject.
const std::vector<std::string> kFragments{"value",
                                          "threshold",
                                          "level",
                                          "entity.vulnerable",
                                          "tension",
                                          "reading.unit",
                                          "flag",
                                          "last(\"a\")",
                                          "last('b')",
                                          "avg(temperature, 1h)",
                                          "abs(",
                                          "min(",
                                          "max(",
                                          "round(",
                                          "floor(",
                                          "ceil(",
                                          "clamp(",
                                          "(",
                                          ")",
                                          "[",
                                          "]",
                                          ",",
                                          " and ",
                                          " or ",
                                          " not ",
                                          " in ",
                                          "&&",
                                          "||",
                                          "!",
                                          "==",
                                          "!=",
                                          "<",
                                          "<=",
                                          ">",
                                          ">=",
                                          "+",
                                          "-",
                                          "*",
                                          "/",
                                          "%",
                                          "0",
                                          "1",
                                          "3",
                                          "28",
                                          "26.5",
                                          "1e3",
                                          "1e308",
                                          "-1",
                                          "'rouge'",
                                          "\"x\"",
                                          "'",
                                          "\"",
                                          "\\",
                                          "true",
                                          "false",
                                          "1h",
                                          "15min",
                                          " kW",
                                          "Cel",
                                          " \u00b0C",
                                          " m3/h",
                                          " %",
                                          "%RH",
                                          " kw",
                                          " ",
                                          "  ",
                                          "valeu",
                                          "lsat(",
                                          "=",
                                          "&",
                                          ".",
                                          "..",
                                          "e",
                                          "\xe2\x89\xa5",
                                          "\xff",
                                          "\n",
                                          "x.",
                                          "9e",
                                          "in [",
                                          "not in [3, 4]",
                                          "level in [3, 4]",
                                          "1/0",
                                          "0/0"};

std::string generate(std::mt19937& rng) {
    std::uniform_int_distribution<std::size_t> count(1, 24);
    std::uniform_int_distribution<std::size_t> pick(0, kFragments.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> percent(0, 99);
    std::string out;
    const std::size_t n = count(rng);
    for (std::size_t i = 0; i < n; ++i) {
        if (percent(rng) < 3) {
            out += static_cast<char>(byte(rng));
        } else {
            out += kFragments[pick(rng)];
        }
    }
    return out;
}

// Syntactically plausible expressions built from the grammar, with random types: most parse,
// many type-check, so the evaluator and the canonical round trip get exercised.
std::string generate_tree(std::mt19937& rng, int depth) {
    static const std::vector<std::string> kLeaves{"value",
                                                  "threshold",
                                                  "level",
                                                  "flag",
                                                  "entity.vulnerable",
                                                  "tension",
                                                  "reading.unit",
                                                  "0",
                                                  "1",
                                                  "28",
                                                  "26.5",
                                                  "-3",
                                                  "1e3",
                                                  "0.1",
                                                  "'rouge'",
                                                  "\"x\"",
                                                  "''",
                                                  "true",
                                                  "false",
                                                  "last(\"a\")",
                                                  "avg(temperature, 15min)",
                                                  "28 Cel",
                                                  "50 kW",
                                                  "80 %",
                                                  "3 m3/h"};
    static const std::vector<std::string> kBinary{
        " and ", " or ", " && ", " || ", " == ", " != ", " < ", " <= ",
        " > ",   " >= ", " + ",  " - ",  " * ",  " / ",  " % "};
    static const std::vector<std::string> kCalls{"abs",   "min",  "max",  "round",
                                                 "floor", "ceil", "clamp"};
    std::uniform_int_distribution<int> percent(0, 99);
    const auto pick = [&](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    };
    const int roll = depth >= 5 ? 0 : percent(rng);
    if (roll < 30) {
        return pick(kLeaves);
    }
    if (roll < 40) {
        return pick({"not ", "-", "!", "- "}) + generate_tree(rng, depth + 1);
    }
    if (roll < 70) {
        return generate_tree(rng, depth + 1) + pick(kBinary) + generate_tree(rng, depth + 1);
    }
    if (roll < 80) {
        return "(" + generate_tree(rng, depth + 1) + ")";
    }
    if (roll < 90) {
        std::string list = generate_tree(rng, depth + 1) + pick({" in [", " not in ["});
        const int items = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int i = 0; i < items; ++i) {
            list += (i > 0 ? ", " : "") + pick({"1", "-2", "3.5", "'rouge'", "true"});
        }
        return list + "]";
    }
    std::string call = pick(kCalls) + "(";
    const int args = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int i = 0; i < args; ++i) {
        call += (i > 0 ? ", " : "") + generate_tree(rng, depth + 1);
    }
    return call + ")";
}

// Three sets of inputs: nothing known, plausible values, and hostile ones (NaN, wrong types).
std::vector<Inputs> input_sets(std::uint32_t slot_count) {
    const std::size_t size = std::max<std::size_t>(slot_count, 7);
    std::vector<Inputs> sets(3, Inputs(size));
    sets[1].set(0, 29.5).set(1, 28.0).set(2, 3.0).set(3, true).set(4, std::string("rouge"));
    sets[1].set(5, std::string("Cel")).set(6, false);
    sets[2].set(0, std::numeric_limits<double>::quiet_NaN()).set(1, 0.0).set(2, -0.0);
    sets[2].set(3, false).set(4, 3.0).set(5, std::string()).set(6, true);
    for (std::uint32_t slot = 7; slot < size; ++slot) {
        sets[1].set(slot, 1.0);
        sets[2].set(slot, 1e308);
    }
    return sets;
}

// Failures are reported with the input; passing checks are not counted one by one.
void expect(bool ok, const char* what, const std::string& source) {
    if (!ok) {
        FAIL_CHECK(what << " for input [" << source << "]");
    }
}

void check_errors(const std::vector<ExprError>& errors, const std::string& source) {
    expect(!errors.empty(), "no errors in a failed result", source);
    for (std::size_t i = 0; i < errors.size(); ++i) {
        const auto& e = errors[i];
        expect(e.offset <= source.size() && e.length <= source.size() - e.offset,
               "error outside the text", source);
        expect(!e.message.empty() && !e.code.empty(), "error without code or message", source);
        expect(i == 0 || errors[i - 1].offset <= e.offset, "errors not sorted", source);
    }
}

std::vector<std::string> run_all(const Program& program) {
    std::vector<std::string> results;
    EvalScratch scratch;
    for (const auto& inputs : input_sets(program.slot_count())) {
        const EvalResult result = program.evaluate(inputs.view(), scratch);
        if (result.type() != program.result_type()) {
            results.emplace_back("wrong type");
        } else if (!result.is_absent() && result.type() == Type::Number &&
                   !std::isfinite(result.number())) {
            results.emplace_back("not finite");
        } else {
            results.push_back(result.to_string());
        }
    }
    return results;
}

void check_one(const std::string& source) {
    TestSymbols symbols;
    const auto program = compile(source, symbols);
    TestSymbols condition_symbols;
    const auto condition = compile_condition(source, condition_symbols);
    if (!program) {
        check_errors(program.errors(), source);
        expect(!condition, "a condition compiles where the expression does not", source);
        return;
    }
    expect(condition.has_value() == (program->result_type() == Type::Bool),
           "compile_condition disagrees with the result type", source);
    if (!condition) {
        check_errors(condition.errors(), source);
    }
    const auto results = run_all(*program);
    for (const auto& result : results) {
        expect(result != "wrong type" && result != "not finite", result.c_str(), source);
    }

    // The canonical text means the same thing. It has more parentheses, so it may exceed the
    // limits that the original respected; nothing else may go wrong.
    TestSymbols again_symbols;
    const auto again = compile(program->canonical(), again_symbols);
    if (!again) {
        const std::string& code = again.error().code;
        expect(code == "expr.too-deep" || code == "expr.too-long",
               "the canonical form does not compile", source);
        return;
    }
    expect(again->canonical() == program->canonical(), "canonical form is not a fixed point",
           source);
    expect(run_all(*again) == results, "canonical form evaluates differently", source);
}

}  // namespace

TEST_CASE("generated near-valid expressions never crash and keep their meaning", "[robustness]") {
    std::mt19937 rng(20260714);  // fixed: the same inputs on every run
    std::size_t compiled = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::string source = generate(rng);
        check_one(source);
        TestSymbols symbols;
        compiled += compile(source, symbols).has_value() ? 1 : 0;
    }
    // The generator must reach the evaluator often enough for the test to mean something.
    CHECK(compiled > 200);
}

TEST_CASE("generated grammatical expressions keep their meaning in canonical form",
          "[robustness]") {
    std::mt19937 rng(1789);
    std::size_t compiled = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::string source = generate_tree(rng, 0);
        check_one(source);
        TestSymbols symbols;
        compiled += compile(source, symbols).has_value() ? 1 : 0;
    }
    CHECK(compiled > 4000);
}

TEST_CASE("random bytes never crash the compiler", "[robustness]") {
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> length(0, 64);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 5000; ++i) {
        std::string source(length(rng), '\0');
        for (auto& c : source) {
            c = static_cast<char>(byte(rng));
        }
        check_one(source);
    }
}

TEST_CASE("known tricky inputs", "[robustness]") {
    for (const std::string& source :
         {std::string("--5"), std::string("- -5"), std::string("-(-5)"), std::string("1--1"),
          std::string("not not not flag"), std::string("abs(-(-1e308))*10"),
          std::string("level in [-0]"), std::string("round(1, 1e308)"), std::string(4096, '('),
          std::string(4097, '1'), std::string("\0", 1),
          std::string("last(\"") + std::string(4000, 'a') + "\") > 1", std::string("max(") + [] {
              std::string args = "1";
              for (int i = 0; i < 1000; ++i) {
                  args += ",1";
              }
              return args;
          }() + ")"}) {
        check_one(source);
    }
    CHECK(true);
}

}  // namespace passerelle::rules::expr
