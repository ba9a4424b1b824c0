// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/json_scanner.h"

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace passerelle::connectors::lorawan::detail {
namespace {

// Each text's verdict is nlohmann's: the scanner must agree.
void check_agrees(const std::string& text) {
    INFO(text);
    CHECK(is_valid_json(text, 32) == nlohmann::json::accept(text));
}

JsonToken string_token(std::string_view inner) {
    JsonScanner scanner(inner, 4);
    JsonToken token;
    REQUIRE(scanner.value(token));
    REQUIRE(token.kind == JsonKind::String);
    return token;
}

}  // namespace

TEST_CASE("the scanner accepts and refuses what nlohmann does", "[lorawan][json]") {
    for (const char* text :
         {R"({})", R"([])", R"( {"a" : [1, -2, 3.5e-3, true, false, null, "x"]} )",
          R"("\"\\\/\b\f\n\r\t")", R"("\u00e9\uD83D\uDE00")", "\"\xc3\xa9\xf0\x9f\x98\x80\"",
          R"(0)", R"(-0)", R"(1E+2)", R"(18446744073709551616)", R"(-9223372036854775809)",
          R"(1.7976931348623157e308)", R"(1e-400)", R"(-4e-320)", R"(0e999999999999)",
          R"(0.0000000000000000000000001e-300)", R"(100000000000e297)",
          // refused
          R"()", R"({)", R"({"a":1,})", R"([1,])", R"([,1])", R"({"a" 1})", R"({"a":1 "b":2})",
          R"({1:2})", R"(01)", R"(-)", R"(1.)", R"(.5)", R"(+1)", R"(1e)", R"(1e400)", R"(-1e400)",
          R"(tru)", R"(nul)", R"(truex)", R"({} {})", R"("abc)", R"("\x")", R"("\u12")",
          R"("\uD83D")", R"("\uD83Dx")", R"("\uDE00")", R"("\uD83D\u0041")", "\"a\x01\"",
          "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\x80\"",
          "[1]\x0b", R"({"a":{"b":[}]})"}) {
        check_agrees(text);
    }
    check_agrees("\"" + std::string(400, '9') + "\"");
    check_agrees(std::string(310, '9'));  // 1e310 written out: overflows
    check_agrees(std::string(300, '9'));
    check_agrees("0." + std::string(400, '0') + "1");
    check_agrees("1" + std::string(400, '0') + "e-100");
}

TEST_CASE("the scanner refuses nesting deeper than its limit", "[lorawan][json]") {
    CHECK(is_valid_json(std::string(32, '[') + std::string(32, ']'), 32));
    CHECK_FALSE(is_valid_json(std::string(33, '[') + std::string(33, ']'), 32));
}

TEST_CASE("string tokens are unescaped to UTF-8", "[lorawan][json]") {
    CHECK(unescape(string_token(R"("plain")")) == "plain");
    CHECK(unescape(string_token(R"("a\"b\\c\/d\n")")) == "a\"b\\c/d\n");
    CHECK(unescape(string_token(R"("\u0041\u00e9\u20ac\uD83D\uDE00")")) ==
          "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK(unescape(string_token(R"("\u0000")")) == std::string(1, '\0'));
}

TEST_CASE("numbers are typed as nlohmann types them", "[lorawan][json]") {
    using Type = JsonNumber::Type;
    CHECK(parse_json_number("7")->type == Type::Unsigned);
    CHECK(parse_json_number("-0")->type == Type::Signed);
    CHECK(parse_json_number("-7")->signed_value == -7);
    CHECK(parse_json_number("7.0")->type == Type::Float);
    CHECK(parse_json_number("18446744073709551616")->type == Type::Float);
    CHECK(parse_json_number("18446744073709551615")->unsigned_value == 18446744073709551615U);
    CHECK(parse_json_number("-2.25")->as_double() == -2.25);
    CHECK_FALSE(parse_json_number("1e400"));
}

}  // namespace passerelle::connectors::lorawan::detail
