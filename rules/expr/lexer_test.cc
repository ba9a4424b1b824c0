// SPDX-License-Identifier: Apache-2.0
// Lexer tests: token kinds, positions, literal values and every lexical error message.
#include "rules/expr/lexer.h"

#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::rules::expr {
namespace {

std::vector<TokenKind> kinds(std::string_view source) {
    const auto tokens = lex(source);
    REQUIRE(tokens.has_value());
    std::vector<TokenKind> out;
    for (const auto& token : *tokens) {
        out.push_back(token.kind);
    }
    return out;
}

ExprError lex_error(std::string_view source) {
    const auto tokens = lex(source);
    REQUIRE_FALSE(tokens.has_value());
    REQUIRE(tokens.errors().size() == 1);
    return tokens.error();
}

using K = TokenKind;

}  // namespace

TEST_CASE("a typical condition splits into tokens with positions", "[lexer]") {
    const auto tokens = lex("value >= 28 and tension in ['orange', \"rouge\"]");
    REQUIRE(tokens.has_value());
    const std::vector<TokenKind> expected{K::Name,  K::GreaterEqual, K::Number,       K::And,
                                          K::Name,  K::In,           K::LeftBracket,  K::String,
                                          K::Comma, K::String,       K::RightBracket, K::End};
    REQUIRE(tokens->size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(tokens->at(i).kind == expected[i]);
    }
    CHECK(tokens->at(0).text == "value");
    CHECK(tokens->at(1).offset == 6);
    CHECK(tokens->at(1).length == 2);
    CHECK(tokens->at(2).number == 28.0);
    CHECK(tokens->at(7).text == "orange");
    CHECK(tokens->at(7).offset == 28);
    CHECK(tokens->at(7).length == 8);
    CHECK(tokens->at(9).text == "rouge");
    CHECK(tokens->back().offset == 46);
    CHECK(tokens->back().length == 0);
}

TEST_CASE("symbolic operators are the keywords' synonyms", "[lexer]") {
    CHECK(kinds("a && b || !c != d") == std::vector<TokenKind>{K::Name, K::And, K::Name, K::Or,
                                                               K::Not, K::Name, K::NotEqual,
                                                               K::Name, K::End});
    CHECK(kinds("not in and or true false") ==
          std::vector<TokenKind>{K::Not, K::In, K::And, K::Or, K::True, K::False, K::End});
    CHECK(kinds("( ) [ ] , + - * / % == < <= > >=") ==
          std::vector<TokenKind>{K::LeftParen, K::RightParen, K::LeftBracket, K::RightBracket,
                                 K::Comma, K::Plus, K::Minus, K::Star, K::Slash, K::Percent,
                                 K::Equal, K::Less, K::LessEqual, K::Greater, K::GreaterEqual,
                                 K::End});
    CHECK(kinds("a<=b") == std::vector<TokenKind>{K::Name, K::LessEqual, K::Name, K::End});
}

TEST_CASE("numbers", "[lexer]") {
    for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{{"28", 28.0},
                                                                                 {"26.5", 26.5},
                                                                                 {"1e3", 1000.0},
                                                                                 {"2.5E-2", 0.025},
                                                                                 {"7e+1", 70.0},
                                                                                 {"0", 0.0},
                                                                                 {"007", 7.0}}) {
        const auto tokens = lex(text);
        REQUIRE(tokens.has_value());
        CHECK(tokens->at(0).kind == K::Number);
        CHECK(tokens->at(0).number == value);
        CHECK(tokens->at(0).length == text.size());
    }
}

TEST_CASE("durations are numbers directly followed by a unit", "[lexer]") {
    using std::chrono::hours;
    using std::chrono::minutes;
    using std::chrono::seconds;
    for (const auto& [text, value] :
         std::vector<std::pair<std::string, Duration>>{{"1h", hours(1)},
                                                       {"15min", minutes(15)},
                                                       {"90s", seconds(90)},
                                                       {"1h30min", minutes(90)},
                                                       {"2d", hours(48)}}) {
        const auto tokens = lex(text);
        REQUIRE(tokens.has_value());
        CHECK(tokens->at(0).kind == K::Duration);
        CHECK(tokens->at(0).duration == value);
    }
}

TEST_CASE("a number may carry a unit, with or without a space", "[lexer]") {
    for (const auto& [text, symbol, number] :
         std::vector<std::tuple<std::string, std::string_view, double>>{
             {"28 Cel", "Cel", 28.0},
             {"28Cel", "Cel", 28.0},
             {"28 \u00b0C", "Cel", 28.0},
             {"28\u00b0C", "Cel", 28.0},
             {"50 kW", "kW", 50.0},
             {"3 m3/h", "m3/h", 3.0},
             {"3m3/h", "m3/h", 3.0},
             {"3 m\u00b3/h", "m3/h", 3.0},
             {"500l", "l", 500.0},
             {"80 %", "%", 80.0},
             {"80%", "%", 80.0},
             {"80 %RH", "%RH", 80.0},
             {"1.5 kWh", "kWh", 1.5}}) {
        const auto tokens = lex(text);
        REQUIRE(tokens.has_value());
        REQUIRE(tokens->size() == 2);
        const Token& token = tokens->at(0);
        CHECK(token.kind == K::Number);
        CHECK(token.number == number);
        REQUIRE(token.unit.has_value());
        CHECK(units()[*token.unit].symbol == symbol);
        CHECK(token.length == text.size());
    }
    CHECK_FALSE(lex("28")->at(0).unit.has_value());
}

TEST_CASE("'%' after a number is a unit only where a remainder could not be", "[lexer]") {
    CHECK(kinds("value > 80 % and flag") ==
          std::vector<TokenKind>{K::Name, K::Greater, K::Number, K::And, K::Name, K::End});
    CHECK(kinds("(80 %) == x") == std::vector<TokenKind>{K::LeftParen, K::Number, K::RightParen,
                                                         K::Equal, K::Name, K::End});
    CHECK(kinds("7 % 3") == std::vector<TokenKind>{K::Number, K::Percent, K::Number, K::End});
    CHECK(kinds("7%-3") ==
          std::vector<TokenKind>{K::Number, K::Percent, K::Minus, K::Number, K::End});
    CHECK(kinds("h % 24") == std::vector<TokenKind>{K::Name, K::Percent, K::Number, K::End});
    CHECK(kinds("3 and 4 in [5]") == std::vector<TokenKind>{K::Number, K::And, K::Number, K::In,
                                                            K::LeftBracket, K::Number,
                                                            K::RightBracket, K::End});
}

TEST_CASE("unknown units are errors with a suggestion", "[lexer]") {
    CHECK(lex_error("value > 50 kw") ==
          ExprError{11, 2, "expr.unit", "unknown unit 'kw'; did you mean 'kW'?"});
    CHECK(lex_error("value > 50kw") ==
          ExprError{10, 2, "expr.unit", "unknown unit 'kw'; did you mean 'kW'?"});
    CHECK(lex_error("value >= 28 degC").message == "unknown unit 'degC'; did you mean 'Cel'?");
    CHECK(lex_error("value > 80 %rh").message == "unknown unit '%rh'; did you mean '%RH'?");
    CHECK(lex_error("age() > 15 min") ==
          ExprError{8, 6, "expr.syntax", "write a duration without a space, as '15min'"});
    // A word no unit resembles is left to the parser: "is an operator missing?"
    CHECK(kinds("3 value") == std::vector<TokenKind>{K::Number, K::Name, K::End});
}

TEST_CASE("names may be dotted paths", "[lexer]") {
    const auto tokens = lex("entity.vulnerable reading.unit _x1");
    REQUIRE(tokens.has_value());
    CHECK(tokens->at(0).text == "entity.vulnerable");
    CHECK(tokens->at(1).text == "reading.unit");
    CHECK(tokens->at(2).text == "_x1");
    // Keywords are exact: a dotted name containing one is still a name.
    CHECK(kinds("entity.in") == std::vector<TokenKind>{K::Name, K::End});
    CHECK(kinds("AND") == std::vector<TokenKind>{K::Name, K::End});
}

TEST_CASE("strings take either quote and three escapes", "[lexer]") {
    const auto tokens = lex(R"('it\'s' "say \"hi\"" "back\\slash" 'a"b' "")");
    REQUIRE(tokens.has_value());
    CHECK(tokens->at(0).text == "it's");
    CHECK(tokens->at(0).length == 7);
    CHECK(tokens->at(1).text == "say \"hi\"");
    CHECK(tokens->at(2).text == "back\\slash");
    CHECK(tokens->at(3).text == "a\"b");
    CHECK(tokens->at(4).text.empty());
    CHECK(tokens->at(4).kind == K::String);
}

TEST_CASE("lexical errors say what to write instead", "[lexer]") {
    CHECK(lex_error("value = 3") ==
          ExprError{6, 1, "expr.syntax", "'=' is not a comparison; write '==' to test equality"});
    CHECK(lex_error("tension == \"rouge") ==
          ExprError{11, 6, "expr.syntax", "this string has no closing \""});
    CHECK(lex_error("t == 'x\\") == ExprError{5, 3, "expr.syntax", "this string has no closing '"});
    CHECK(lex_error(R"("a\nb")") ==
          ExprError{2, 2, "expr.syntax",
                    R"(unknown escape '\n' in a string; only \", \' and \\ are allowed)"});
    CHECK(lex_error("3x > 1") ==
          ExprError{0, 2, "expr.syntax",
                    "'3x' is neither a number nor a duration such as 90s, 15min, 2h or 1h30min"});
    CHECK(lex_error("1.5h").message ==
          "'1.5h' is neither a number nor a duration such as 90s, 15min, 2h or 1h30min");
    CHECK(lex_error("value \xe2\x89\xa5 28") ==
          ExprError{6, 3, "expr.syntax", "unexpected character '\xe2\x89\xa5'; write '>='"});
    CHECK(lex_error("t == \xe2\x80\x9crouge\xe2\x80\x9d").message ==
          "unexpected character '\xe2\x80\x9c'; write a straight quote ' or \"");
    CHECK(lex_error("a # b") == ExprError{2, 1, "expr.syntax", "unexpected character '#'"});
    CHECK(lex_error("a \xff") ==
          ExprError{2, 1, "expr.syntax", "unexpected byte 0xff, which is not valid UTF-8 text"});
    CHECK(lex_error("a \x01").message == "unexpected control character 0x01");
    CHECK(lex_error("a & b") ==
          ExprError{2, 1, "expr.syntax", "unexpected character '&'; write 'and' or '&&'"});
    CHECK(lex_error("a | b").message == "unexpected character '|'; write 'or' or '||'");
    CHECK(lex_error("x > .5") ==
          ExprError{4, 1, "expr.syntax", "a number needs a digit before its point: write '0.5'"});
    CHECK(lex_error("entity..x") ==
          ExprError{0, 9, "expr.syntax",
                    "'entity..x' is not a valid name; dots separate its parts, as in "
                    "'entity.vulnerable'"});
    CHECK(lex_error("entity. > 1").offset == 0);
    CHECK(lex_error("1e999") ==
          ExprError{0, 5, "expr.syntax", "the number '1e999' is out of range"});
}

TEST_CASE("the length limit is exact", "[lexer][limits]") {
    const std::string at_limit = "1" + std::string(kMaxExpressionLength - 1, ' ');
    CHECK(lex(at_limit).has_value());
    const std::string over = at_limit + " ";
    CHECK(lex_error(over) ==
          ExprError{4096, 1, "expr.too-long",
                    "the expression is too long: 4097 bytes, the limit is 4096"});
}

}  // namespace passerelle::rules::expr
