// SPDX-License-Identifier: Apache-2.0
#include "rules/template/template.h"

#include <catch2/catch.hpp>

using passerelle::Value;
using passerelle::rules::Template;
using passerelle::rules::TemplateError;

namespace {
const std::vector<std::string> kNames{"entity", "value", "started_at"};

Value lookup(std::string_view name) {
    if (name == "value") {
        return 28.456;
    }
    return std::string(name == "entity" ? "logt-12" : "2026-07-14T12:00:00Z");
}

TemplateError error_of(std::string_view text) {
    auto parsed = Template::parse(text, kNames);
    REQUIRE(std::holds_alternative<TemplateError>(parsed));
    return std::get<TemplateError>(parsed);
}
}  // namespace

TEST_CASE("placeholders are replaced, with optional rounding", "[template]") {
    auto parsed = Template::parse("Logement {{entity}} : {{ value | round(1) }} °C", kNames);
    REQUIRE(std::holds_alternative<Template>(parsed));
    const auto& t = std::get<Template>(parsed);
    CHECK(t.render(lookup) == "Logement logt-12 : 28.5 °C");
    CHECK(t.placeholders() == std::vector<std::string>{"entity", "value"});
    CHECK_FALSE(t.is_literal());
}

TEST_CASE("text without placeholders is literal", "[template]") {
    auto parsed = Template::parse("ccas", kNames);
    REQUIRE(std::holds_alternative<Template>(parsed));
    CHECK(std::get<Template>(parsed).is_literal());
    CHECK(std::get<Template>(parsed).render(lookup) == "ccas");
}

TEST_CASE("template mistakes are found at load time, with their place", "[template]") {
    auto unknown = error_of("Logement {{entiy}}");
    CHECK(unknown.message == "unknown placeholder 'entiy'; did you mean 'entity'?");
    CHECK(unknown.offset == 11);
    CHECK(unknown.length == 5);
    auto unclosed = error_of("x {{value");
    CHECK(unclosed.message == "'{{' is not closed by '}}'");
    CHECK(unclosed.offset == 2);
    auto filter = error_of("{{value | upper}}");
    CHECK(filter.message == "unknown filter 'upper'; the filter available is round(N), N from 0 to 9");
    CHECK(filter.offset == 10);
    CHECK(error_of("{{ }}").message == "empty placeholder '{{ }}'");
}
