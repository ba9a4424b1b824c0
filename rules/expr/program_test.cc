// SPDX-License-Identifier: Apache-2.0
// Evaluation tests: every operator, three-valued logic, absent and non-finite values, no
// allocation.
#include "rules/expr/program.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>

#include <catch2/catch.hpp>

#include "rules/expr/compiler.h"
#include "rules/expr/parser.h"
#include "rules/expr/test_symbols.h"

namespace {

// Counts every allocation of the test binary, to prove that evaluation makes none.
std::atomic<std::size_t> g_allocations{0};

}  // namespace

// GCC 12 sees malloc'd memory released by a replaced operator delete as a mismatch; it is not.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
// The whole non-aligned family is replaced, so that no allocation made by a sanitizer's or the
// library's own version is released by ours.
void* operator new[](std::size_t size) {
    return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
    return operator new(size, tag);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
#pragma GCC diagnostic pop

namespace passerelle::rules::expr {
namespace {

using testing::Inputs;
using testing::TestSymbols;

constexpr std::uint32_t kValue = 0;
constexpr std::uint32_t kVulnerable = 3;
constexpr std::uint32_t kTension = 4;
constexpr std::uint32_t kFlag = 6;

class Fixture {
public:
    std::string eval(std::string_view source) {
        const auto program = compile(source, symbols);
        if (!program) {
            return "error: " + program.error().message;
        }
        return program->evaluate(inputs.view(), scratch).to_string();
    }

    TestSymbols symbols;
    Inputs inputs{16};
    EvalScratch scratch;
};

}  // namespace

TEST_CASE("arithmetic", "[program]") {
    Fixture f;
    CHECK(f.eval("1 + 2") == "3");
    CHECK(f.eval("7 - 10") == "-3");
    CHECK(f.eval("2 * 3.5") == "7");
    CHECK(f.eval("7 / 2") == "3.5");
    CHECK(f.eval("7 % 3") == "1");
    CHECK(f.eval("-7 % 3") == "2");
    CHECK(f.eval("7 % -3") == "-2");
    CHECK(f.eval("5.5 % 2") == "1.5");
    CHECK(f.eval("-(2 + 3)") == "-5");
    CHECK(f.eval("2 - -3") == "5");
    CHECK(f.eval("2 + 3 * 4 - 6 / 2") == "11");
    f.inputs.set(kValue, 29.5);
    CHECK(f.eval("value * 2 + 1") == "60");
}

TEST_CASE("durations are numbers of seconds", "[program]") {
    Fixture f;
    CHECK(f.eval("2h") == "7200");
    CHECK(f.eval("1h30min + 90s") == "5490");
    f.inputs.set(kValue, 7201.0);
    CHECK(f.eval("value > 2h") == "true");
}

TEST_CASE("comparisons of numbers, strings and booleans", "[program]") {
    Fixture f;
    CHECK(f.eval("1 < 2") == "true");
    CHECK(f.eval("2 <= 2") == "true");
    CHECK(f.eval("3 > 2") == "true");
    CHECK(f.eval("2 >= 3") == "false");
    CHECK(f.eval("2 == 2") == "true");
    CHECK(f.eval("2 != 2") == "false");
    CHECK(f.eval("'a' < 'b'") == "true");
    CHECK(f.eval("'b' >= 'a'") == "true");
    CHECK(f.eval("'rouge' == \"rouge\"") == "true");
    CHECK(f.eval("'rouge' != 'orange'") == "true");
    CHECK(f.eval("true == false") == "false");
    CHECK(f.eval("true != false") == "true");
    f.inputs.set(kTension, std::string("rouge"));
    CHECK(f.eval("tension == 'rouge'") == "true");
}

TEST_CASE("in and not in", "[program]") {
    Fixture f;
    CHECK(f.eval("3 in [3, 4]") == "true");
    CHECK(f.eval("5 in [3, 4]") == "false");
    CHECK(f.eval("5 not in [3, 4]") == "true");
    CHECK(f.eval("-1 in [1, -1]") == "true");
    CHECK(f.eval("'rouge' in ['orange', 'rouge']") == "true");
    CHECK(f.eval("'vert' in ['orange', 'rouge']") == "false");
    CHECK(f.eval("true in [false]") == "false");
    CHECK(f.eval("tension in ['rouge']") == "absent");
    CHECK(f.eval("tension not in ['rouge']") == "absent");
}

TEST_CASE("and, or, not follow three-valued logic", "[program]") {
    struct Row {
        std::optional<bool> a;
        std::optional<bool> b;
        std::string a_and_b;
        std::string a_or_b;
    };
    const std::vector<Row> table{
        {true, true, "true", "true"},
        {true, false, "false", "true"},
        {true, std::nullopt, "absent", "true"},
        {false, true, "false", "true"},
        {false, false, "false", "false"},
        {false, std::nullopt, "false", "absent"},
        {std::nullopt, true, "absent", "true"},
        {std::nullopt, false, "false", "absent"},
        {std::nullopt, std::nullopt, "absent", "absent"},
    };
    for (const auto& row : table) {
        Fixture f;
        if (row.a) {
            f.inputs.set(kFlag, *row.a);
        }
        if (row.b) {
            f.inputs.set(kVulnerable, *row.b);
        }
        INFO("a=" << (row.a ? (*row.a ? "true" : "false") : "absent")
                  << " b=" << (row.b ? (*row.b ? "true" : "false") : "absent"));
        CHECK(f.eval("flag and entity.vulnerable") == row.a_and_b);
        CHECK(f.eval("flag && entity.vulnerable") == row.a_and_b);
        CHECK(f.eval("flag or entity.vulnerable") == row.a_or_b);
        CHECK(f.eval("flag || entity.vulnerable") == row.a_or_b);
        CHECK(f.eval("not flag") == (row.a ? (*row.a ? "false" : "true") : "absent"));
        CHECK(f.eval("!flag") == f.eval("not flag"));
    }
}

TEST_CASE("absent values propagate through everything but a decided and/or", "[program]") {
    Fixture f;
    CHECK(f.eval("value") == "absent");
    CHECK(f.eval("value + 1") == "absent");
    CHECK(f.eval("-value") == "absent");
    CHECK(f.eval("value > 3") == "absent");
    CHECK(f.eval("value == value") == "absent");
    CHECK(f.eval("value in [1]") == "absent");
    CHECK(f.eval("abs(value)") == "absent");
    CHECK(f.eval("max(1, value, 3)") == "absent");
    CHECK(f.eval("not (value > 3)") == "absent");
    CHECK(f.eval("value > 3 and false") == "false");
    CHECK(f.eval("false and value > 3") == "false");
    CHECK(f.eval("value > 3 or true") == "true");
    CHECK(f.eval("true or value > 3") == "true");
    CHECK(f.eval("true and value > 3") == "absent");
    CHECK(f.eval("false or value > 3") == "absent");
}

TEST_CASE("division by zero and overflow give absent, never NaN or infinity", "[program]") {
    Fixture f;
    CHECK(f.eval("1 / 0") == "absent");
    CHECK(f.eval("-1 / 0") == "absent");
    CHECK(f.eval("0 / 0") == "absent");
    CHECK(f.eval("1 % 0") == "absent");
    CHECK(f.eval("1e308 * 10") == "absent");
    CHECK(f.eval("-1e308 - 1e308") == "absent");
    CHECK(f.eval("1 / 0 > 1") == "absent");
    CHECK(f.eval("1 / 0 > 1 or true") == "true");
    CHECK(f.eval("1 / 0 > 1 and 1 > 2") == "false");
    CHECK(f.eval("round(1e308 * 10)") == "absent");
    f.inputs.set(kValue, 0.0);
    CHECK(f.eval("10 / value") == "absent");
}

TEST_CASE("inputs that are not finite or not of the declared type count as absent", "[program]") {
    Fixture f;
    f.inputs.set(kValue, std::numeric_limits<double>::quiet_NaN());
    CHECK(f.eval("value") == "absent");
    f.inputs.set(kValue, std::numeric_limits<double>::infinity());
    CHECK(f.eval("value > 3") == "absent");
    f.inputs.set(kValue, std::string("29"));
    CHECK(f.eval("value > 3") == "absent");
    f.inputs.set(kTension, 3.0);
    CHECK(f.eval("tension == 'rouge'") == "absent");
    f.inputs.set(kFlag, std::string("true"));
    CHECK(f.eval("flag") == "absent");
    f.inputs.set(kValue, 29.0).clear(kTension);
    CHECK(f.eval("value > 3") == "true");
}

TEST_CASE("string results view the caller's values without copying", "[program]") {
    TestSymbols symbols;
    const auto program = compile("tension", symbols);
    REQUIRE(program.has_value());
    Inputs inputs(16);
    inputs.set(kTension, std::string("rouge"));
    EvalScratch scratch(*program);
    const EvalResult result = program->evaluate(inputs.view(), scratch);
    CHECK(result.type() == Type::String);
    CHECK(result.text() == "rouge");
    CHECK(result.text().data() == std::get<std::string>(*inputs.view()[kTension]).data());
    CHECK(result.to_string() == "\"rouge\"");
}

TEST_CASE("the heatwave condition, with a caller-provided signal", "[program]") {
    TestSymbols symbols;
    const auto program = compile_condition(
        "value >= 28 and last(\"signal/ville/canicule-level\") >= 3 and entity.vulnerable",
        symbols);
    REQUIRE(program.has_value());
    const std::uint32_t level = symbols.topic_slot("signal/ville/canicule-level")->index;
    Inputs inputs(16);
    EvalScratch scratch(*program);
    CHECK(program->evaluate_condition(inputs.view(), scratch) == Truth::Absent);
    inputs.set(kValue, 29.1).set(level, 3.0).set(kVulnerable, true);
    CHECK(program->evaluate_condition(inputs.view(), scratch) == Truth::True);
    inputs.set(level, 2.0);
    CHECK(program->evaluate_condition(inputs.view(), scratch) == Truth::False);
    inputs.clear(level);
    CHECK(program->evaluate_condition(inputs.view(), scratch) == Truth::Absent);
    inputs.set(kValue, 25.0);
    CHECK(program->evaluate_condition(inputs.view(), scratch) == Truth::False);

    REQUIRE(program->slots().size() == 3);
    CHECK(program->slots()[0].source == "value");
    CHECK(program->slots()[1].source == "last(\"signal/ville/canicule-level\")");
    CHECK(program->slots()[2].source == "entity.vulnerable");
    CHECK(program->canonical() ==
          "(((value >= 28) and (last(\"signal/ville/canicule-level\") >= 3)) and "
          "entity.vulnerable)");
}

TEST_CASE("value is converted from the reading's unit into the literal's", "[program][units]") {
    constexpr std::uint32_t kUnit = 5;  // reading.unit, value's unit in TestSymbols
    Fixture f;
    f.inputs.set(kValue, 60000.0).set(kUnit, std::string("W"));
    CHECK(f.eval("value > 50 kW") == "true");
    CHECK(f.eval("value == 60 kW") == "true");
    CHECK(f.eval("50 kW < value") == "true");
    f.inputs.set(kValue, 60.0).set(kUnit, std::string("kW"));
    CHECK(f.eval("value > 50 kW") == "true");
    CHECK(f.eval("value > 50000 W") == "true");
    CHECK(f.eval("value > 70 kW") == "false");
    f.inputs.set(kValue, 28.0).set(kUnit, std::string("Cel"));
    CHECK(f.eval("value >= 28 \u00b0C") == "true");  // exactly, not through kelvins
    CHECK(f.eval("value >= 301.15 K") == "true");
    f.inputs.set(kValue, 0.5).set(kUnit, std::string("l/s"));
    CHECK(f.eval("value == 1.8 m3/h") == "true");
    f.inputs.set(kValue, 82.0).set(kUnit, std::string("%RH"));
    CHECK(f.eval("value > 80 %") == "true");
    CHECK(f.eval("3 kW > 2 W") == "true");
    CHECK(f.eval("1 kWh == 1000 Wh") == "true");
}

TEST_CASE("a reading of another dimension or without a unit makes the comparison unknown",
          "[program][units]") {
    constexpr std::uint32_t kUnit = 5;
    Fixture f;
    f.inputs.set(kValue, 60000.0).set(kUnit, std::string("Wh"));
    CHECK(f.eval("value > 50 kW") == "absent");
    CHECK(f.eval("value < 50 kW") == "absent");
    f.inputs.set(kUnit, std::string());
    CHECK(f.eval("value > 50 kW") == "absent");
    f.inputs.set(kUnit, std::string("V"));
    CHECK(f.eval("value > 50 kW") == "absent");
    f.inputs.clear(kUnit);
    CHECK(f.eval("value > 50 kW") == "absent");
    CHECK(f.eval("value > 50 kW and false") == "false");  // three-valued logic still decides
    f.inputs.set(kUnit, std::string("W")).clear(kValue);
    CHECK(f.eval("value > 50 kW") == "absent");
}

TEST_CASE("unit conversion does not allocate", "[program][units]") {
    TestSymbols symbols;
    const auto program =
        compile_condition("value > 50 kW and value < 3 m3/h or value >= 28 \u00b0C", symbols);
    REQUIRE(program.has_value());
    Inputs inputs(16);
    inputs.set(kValue, 60000.0).set(5, std::string("W"));
    EvalScratch scratch(*program);
    Truth truth = Truth::False;
    const std::size_t before = g_allocations.load();
    for (int i = 0; i < 1000; ++i) {
        truth = program->evaluate_condition(inputs.view(), scratch);
    }
    CHECK(g_allocations.load() == before);
    CHECK(truth == Truth::Absent);  // more than 50 kW; W is not a flow nor a temperature
}

TEST_CASE("and/or compile to short-circuit jumps", "[program]") {
    TestSymbols symbols;
    const auto program =
        compile_condition("flag and entity.vulnerable or value in [1, 2]", symbols);
    REQUIRE(program.has_value());
    CHECK(program->disassemble() ==
          "  0  load          #6 flag (true/false)\n"
          "  1  jump-if-false -> 4\n"
          "  2  load          #3 entity.vulnerable (true/false)\n"
          "  3  and\n"
          "  4  jump-if-true  -> 8\n"
          "  5  load          #0 value (number)\n"
          "  6  in            [1, 2]\n"
          "  7  or\n");
    CHECK(program->max_stack() == 2);
    CHECK(program->result_type() == Type::Bool);
    CHECK(program->slot_count() == 7);
}

TEST_CASE("evaluation does not allocate once the scratch is sized", "[program]") {
    TestSymbols symbols;
    const auto program = compile_condition(
        "(value >= 28 and tension in ['orange', 'rouge'] or not entity.vulnerable) and "
        "round(max(value, 1, 2) / 3, 1) != clamp(value, 0, 100) % 7 and reading.unit < 'z' "
        "and last('signal/a') > -1",
        symbols);
    REQUIRE(program.has_value());
    Inputs inputs(16);
    inputs.set(kValue, 30.0).set(kTension, std::string("rouge")).set(kVulnerable, false);
    EvalScratch scratch(*program);
    Truth truth = Truth::False;
    const std::size_t before = g_allocations.load();
    for (int i = 0; i < 1000; ++i) {
        truth = program->evaluate_condition(inputs.view(), scratch);
    }
    const std::size_t after = g_allocations.load();
    CHECK(after == before);
    CHECK(truth == Truth::Absent);  // reading.unit and last('signal/a') are missing
}

TEST_CASE("one scratch serves programs of different sizes", "[program]") {
    TestSymbols symbols;
    const auto small = compile("1 + 2", symbols);
    const auto big = compile("1 + (2 * (3 - (4 / (5 + (6 * 7)))))", symbols);
    REQUIRE(small.has_value());
    REQUIRE(big.has_value());
    CHECK(big->max_stack() == 7);
    EvalScratch scratch;
    const Inputs inputs(16);
    CHECK(small->evaluate(inputs.view(), scratch).to_string() == "3");
    CHECK(big->evaluate(inputs.view(), scratch).number() == Approx(1.0 + 2.0 * (3.0 - 4.0 / 47.0)));
    CHECK(small->evaluate(inputs.view(), scratch).to_string() == "3");
}

TEST_CASE("the longest chains allowed evaluate with a small stack", "[program][limits]") {
    std::string chain = "1";
    for (std::size_t i = 0; i < kMaxExpressionDepth; ++i) {
        chain += "+1";
    }
    TestSymbols symbols;
    const auto program = compile(chain, symbols);
    REQUIRE(program.has_value());
    CHECK(program->max_stack() == 2);
    EvalScratch scratch;
    const Inputs inputs(16);
    CHECK(program->evaluate(inputs.view(), scratch).number() == 65.0);

    std::string conditions = "flag";
    for (std::size_t i = 0; i < kMaxExpressionDepth; ++i) {
        conditions += " and flag";
    }
    const auto condition = compile_condition(conditions, symbols);
    REQUIRE(condition.has_value());
    CHECK(condition->evaluate_condition(inputs.view(), scratch) == Truth::Absent);
}

}  // namespace passerelle::rules::expr
