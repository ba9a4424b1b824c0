// SPDX-License-Identifier: Apache-2.0
// Parser tests: precedence and associativity through canonical printing, spans, syntax errors.
#include "rules/expr/parser.h"

#include <string>

#include <catch2/catch.hpp>

namespace passerelle::rules::expr {
namespace {

std::string canonical(std::string_view source) {
    const auto ast = parse(source);
    if (!ast) {
        return "error: " + ast.error().message;
    }
    return to_string(*ast);
}

ExprError parse_error(std::string_view source) {
    const auto ast = parse(source);
    REQUIRE_FALSE(ast.has_value());
    REQUIRE(ast.errors().size() == 1);
    return ast.error();
}

}  // namespace

TEST_CASE("arithmetic precedence and left associativity", "[parser]") {
    CHECK(canonical("1 + 2 * 3") == "(1 + (2 * 3))");
    CHECK(canonical("(1 + 2) * 3") == "((1 + 2) * 3)");
    CHECK(canonical("a - b - c") == "((a - b) - c)");
    CHECK(canonical("a / b * c % d") == "(((a / b) * c) % d)");
    CHECK(canonical("-a * b") == "((-a) * b)");
    CHECK(canonical("-2 * 3") == "(-2 * 3)");
    CHECK(canonical("a - -3") == "(a - -3)");
    CHECK(canonical("- (a + b)") == "(-(a + b))");
    CHECK(canonical("1e3 + 26.50") == "(1000 + 26.5)");
}

TEST_CASE("numbers with units print their canonical symbol and read back the same", "[parser]") {
    CHECK(canonical("value >= 28 \u00b0C") == "(value >= 28 Cel)");
    CHECK(canonical("value > 50kW and value < 3 m\u00b3/h") ==
          "((value > 50 kW) and (value < 3 m3/h))");
    CHECK(canonical("value > 80 %") == "(value > 80 %)");
    CHECK(canonical("-5 Cel < value") == "(-5 Cel < value)");
    CHECK(canonical("-(5 Cel)") == "-5 Cel");
    CHECK(canonical("(80 %) == 7 % 3") == "(80 % == (7 % 3))");
    for (const std::string_view source :
         {"(value >= 28 Cel)", "((value > 50 kW) and (value < 3 m3/h))", "(80 % == (7 % 3))"}) {
        CHECK(canonical(source) == source);
    }
}

TEST_CASE("boolean precedence: or < and < not < comparison", "[parser]") {
    CHECK(canonical("value >= 28 and level >= 3 or flag") ==
          "(((value >= 28) and (level >= 3)) or flag)");
    CHECK(canonical("a or b and c") == "(a or (b and c))");
    CHECK(canonical("a and b and c") == "((a and b) and c)");
    CHECK(canonical("not a and b") == "((not a) and b)");
    CHECK(canonical("not level >= 3") == "(not (level >= 3))");
    CHECK(canonical("not not a") == "(not (not a))");
    CHECK(canonical("a && b || !c") == "((a and b) or (not c))");
    CHECK(canonical("value + 1 > threshold * 2") == "((value + 1) > (threshold * 2))");
    CHECK(canonical("a == b != c and d") ==
          "error: comparisons cannot be chained; write 'a < b "
          "and b < c' instead");
}

TEST_CASE("in, not in, calls and literals", "[parser]") {
    CHECK(canonical("level in [3, 4]") == "(level in [3, 4])");
    CHECK(canonical("tension not in ['orange', \"rouge\"]") ==
          "(tension not in [\"orange\", \"rouge\"])");
    CHECK(canonical("level in [-1] and x") == "((level in [-1]) and x)");
    CHECK(canonical("round(value, 1) > 2") == "(round(value, 1) > 2)");
    CHECK(canonical("last(\"signal/ville/canicule-level\") >= 3") ==
          "(last(\"signal/ville/canicule-level\") >= 3)");
    CHECK(canonical("avg(temperature, 1h30min)") == "avg(temperature, 1h30min)");
    CHECK(canonical("now()") == "now()");
    CHECK(canonical("'it\\'s' == \"a\\\"b\\\\\"") == "(\"it's\" == \"a\\\"b\\\\\")");
    CHECK(canonical("true or false") == "(true or false)");
    CHECK(canonical("((value))") == "value");
}

TEST_CASE("every node covers its source, parentheses included", "[parser]") {
    const auto ast = parse("(a + b) * c");
    REQUIRE(ast.has_value());
    const Node& root = ast->node(ast->root);
    CHECK(root.offset == 0);
    CHECK(root.length == 11);
    const Node& left = ast->node(root.children[0]);
    CHECK(left.offset == 0);
    CHECK(left.length == 7);
    const Node& right = ast->node(root.children[1]);
    CHECK(right.offset == 10);
    CHECK(right.length == 1);

    const auto call = parse("x + max(1, -2)");
    REQUIRE(call.has_value());
    const Node& max = call->node(call->node(call->root).children[1]);
    CHECK(max.kind == NodeKind::Call);
    CHECK(max.offset == 4);
    CHECK(max.length == 10);
    CHECK(call->node(max.children[1]).offset == 11);
    CHECK(call->node(max.children[1]).length == 2);
    CHECK(call->node(max.children[1]).number == -2.0);
}

TEST_CASE("syntax errors are precise", "[parser]") {
    CHECK(parse_error("1 + (2") ==
          ExprError{6, 0, "expr.syntax", "expected ')' to close '(' at column 5"});
    CHECK(
        parse_error("(value 28)") ==
        ExprError{7, 2, "expr.syntax", "unexpected '28' here; is an operator missing before it?"});
    CHECK(parse_error("value >=") ==
          ExprError{8, 0, "expr.syntax", "unexpected end of expression"});
    CHECK(parse_error("") == ExprError{0, 0, "expr.syntax", "the expression is empty"});
    CHECK(parse_error("  \t ").message == "the expression is empty");
    CHECK(parse_error("a < b < c") ==
          ExprError{6, 1, "expr.syntax",
                    "comparisons cannot be chained; write 'a < b and b < c' instead"});
    CHECK(
        parse_error("value 28") ==
        ExprError{6, 2, "expr.syntax", "unexpected '28' here; is an operator missing before it?"});
    CHECK(parse_error("a AND b") ==
          ExprError{2, 3, "expr.syntax", "unexpected 'AND' here; did you mean 'and'?"});
    CHECK(parse_error("a Or b").message == "unexpected 'Or' here; did you mean 'or'?");
    CHECK(parse_error("a)") ==
          ExprError{1, 1, "expr.syntax", "unexpected ')' without a matching '('"});
    CHECK(parse_error("a]").message == "unexpected ']' without a matching '['");
    CHECK(parse_error("a, b") == ExprError{1, 1, "expr.syntax", "unexpected ',' here"});
    CHECK(parse_error("level in 3") ==
          ExprError{9, 1, "expr.syntax", "expected a list such as [3, 4] after 'in'"});
    CHECK(parse_error("level not in 3").message == "expected a list such as [3, 4] after 'not in'");
    CHECK(parse_error("level in [3, 4") ==
          ExprError{14, 0, "expr.syntax", "expected ']' to close '[' at column 10"});
    CHECK(parse_error("level in [3 4]").message ==
          "unexpected '4' here; is a comma or an operator missing before it?");
    CHECK(parse_error("abs(1 ]") ==
          ExprError{6, 1, "expr.syntax", "expected ',' or ')' to close '(' at column 4"});
    CHECK(parse_error("abs(1,)") ==
          ExprError{6, 1, "expr.syntax", "expected a value or a name, but found ')'"});
    CHECK(parse_error("abs(1") ==
          ExprError{5, 0, "expr.syntax", "expected ')' to close '(' at column 4"});
    CHECK(parse_error("[1] == x") ==
          ExprError{0, 1, "expr.syntax",
                    "a list [...] can only follow 'in', as in 'level in [3, 4]'"});
    CHECK(parse_error("* 3") ==
          ExprError{0, 1, "expr.syntax", "expected a value or a name, but found '*'"});
    CHECK(parse_error("a not b").message ==
          "unexpected 'not' here; is an operator missing before it?");
    CHECK(parse_error("3 (4)").message == "unexpected '(' here; is an operator missing before it?");
}

TEST_CASE("nesting is limited to kMaxExpressionDepth", "[parser][limits]") {
    const auto nested = [](std::size_t levels) {
        return std::string(levels, '(') + "1" + std::string(levels, ')');
    };
    CHECK(parse(nested(kMaxExpressionDepth)).has_value());
    CHECK(parse_error(nested(kMaxExpressionDepth + 1)) ==
          ExprError{64, 1, "expr.too-deep",
                    "the expression is nested too deeply: more than 64 levels of parentheses, "
                    "operators or calls"});
    // Far beyond the limit: an error, not a stack overflow.
    CHECK(parse_error(nested(2000)).code == "expr.too-deep");
    CHECK(parse_error(std::string(3000, '(')).code == "expr.too-deep");

    std::string nots;
    for (std::size_t i = 0; i <= kMaxExpressionDepth; ++i) {
        nots += "not ";
    }
    CHECK(parse_error(nots + "true").code == "expr.too-deep");
    CHECK(parse_error(std::string(kMaxExpressionDepth + 1, '-') + "x").code == "expr.too-deep");
    CHECK(parse(std::string(kMaxExpressionDepth, '-') + "x").has_value());

    std::string calls;
    for (std::size_t i = 0; i <= kMaxExpressionDepth; ++i) {
        calls += "abs(";
    }
    CHECK(parse_error(calls + "1" + std::string(kMaxExpressionDepth + 1, ')')).code ==
          "expr.too-deep");
}

TEST_CASE("long chains of operators count as nesting too", "[parser][limits]") {
    const auto chain = [](std::size_t operators, std::string_view op) {
        std::string out = "x";
        for (std::size_t i = 0; i < operators; ++i) {
            out += op;
            out += "x";
        }
        return out;
    };
    CHECK(parse(chain(kMaxExpressionDepth, "+")).has_value());
    CHECK(parse(chain(kMaxExpressionDepth, " and ")).has_value());
    // The 65th '+' is at 1 + 64 * 2.
    CHECK(parse_error(chain(kMaxExpressionDepth + 1, "+")) ==
          ExprError{129, 1, "expr.too-deep",
                    "the expression is nested too deeply: more than 64 levels of parentheses, "
                    "operators or calls"});
    CHECK(parse_error(chain(2000, "+")).code == "expr.too-deep");
    CHECK(parse_error(chain(500, " or ")).code == "expr.too-deep");
    // Parentheses and operators add up on the tree's height, not on the nesting count.
    CHECK(parse_error("(" + chain(40, "*") + ") + " + chain(30, "-")).code == "expr.too-deep");
    CHECK(parse(std::string(kMaxExpressionDepth, '(') + "x" + std::string(kMaxExpressionDepth, ')'))
              .has_value());
}

}  // namespace passerelle::rules::expr
