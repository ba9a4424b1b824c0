// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/json_pointer.h"

#include <catch2/catch.hpp>

namespace passerelle {
namespace {

std::vector<std::string> tokens_of(std::string_view text) {
    auto pointer = parse_json_pointer(text);
    REQUIRE(pointer);
    CHECK(pointer->text == text);
    return pointer->tokens;
}

TEST_CASE("JSON pointers split into unescaped tokens", "[json_pointer]") {
    CHECK(tokens_of("").empty());
    CHECK(tokens_of("/") == std::vector<std::string>{""});
    CHECK(tokens_of("/measures/0/t") == std::vector<std::string>{"measures", "0", "t"});
    // RFC 6901 §4: "~1" first becomes '/', then "~0" '~', so "~01" is "~1" and not '/'.
    CHECK(tokens_of("/a~1b/m~0n/~01") == std::vector<std::string>{"a/b", "m~n", "~1"});
    CHECK(tokens_of("/a//b") == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("JSON pointer syntax errors say how to write them", "[json_pointer]") {
    auto relative = parse_json_pointer("temperature");
    REQUIRE_FALSE(relative);
    CHECK(relative.error().code == "json-pointer.syntax");
    CHECK(relative.error().message ==
          "a JSON pointer starts with '/' (or is empty for the whole document): 'temperature'; "
          "did you mean '/temperature'?");
    auto tilde = parse_json_pointer("/a~2");
    REQUIRE_FALSE(tilde);
    CHECK(tilde.error().message ==
          "'~2' at character 3 of '/a~2': '~' is written '~0' and '/' is written '~1'");
    auto trailing = parse_json_pointer("/a~");
    REQUIRE_FALSE(trailing);
    CHECK(trailing.error().message ==
          "'~' at character 3 of '/a~': '~' is written '~0' and '/' is written '~1'");
}

}  // namespace
}  // namespace passerelle
