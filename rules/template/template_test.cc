// SPDX-License-Identifier: Apache-2.0
#include "rules/template/template.h"

#include <catch2/catch.hpp>

using passerelle::TimeZone;
using passerelle::Value;
using passerelle::rules::PlaceholderSpec;
using passerelle::rules::Template;
using passerelle::rules::TemplateError;
using passerelle::rules::ValueKind;

namespace {
const std::vector<PlaceholderSpec> kNames{{"entity", ValueKind::Text},
                                          {"value", ValueKind::Any},
                                          {"started_at", ValueKind::Time},
                                          {"duration", ValueKind::Duration},
                                          {"max_value", ValueKind::Number}};

Value lookup(std::string_view name) {
    if (name == "value") {
        return 28.456;
    }
    if (name == "started_at") {
        return 1792886400.0;  // 2026-10-25T00:00:00Z
    }
    if (name == "duration") {
        return 8100.0;
    }
    if (name == "max_value") {
        return std::string();  // no number read
    }
    return std::string("logt-12");
}

std::string render(std::string_view text, const TimeZone& zone = TimeZone::utc()) {
    auto parsed = Template::parse(text, kNames);
    REQUIRE(std::holds_alternative<Template>(parsed));
    return std::get<Template>(parsed).render(lookup, zone);
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

TEST_CASE("times print in UTC and durations in words unless filtered", "[template]") {
    CHECK(render("{{started_at}}") == "2026-10-25T00:00:00Z");
    CHECK(render("{{duration}}") == "2 h 15 min");
    CHECK(render("{{ duration | round(0) }} s") == "8100 s");
    CHECK(render("{{value|duration}}") == "28 s");
    CHECK(render("{{ started_at | local_datetime }}") == "25/10/2026 00:00");
    auto paris = TimeZone::load("Europe/Paris");
    REQUIRE(paris);
    CHECK(render("{{ started_at | local_datetime }}", *paris) == "25/10/2026 02:00");
    CHECK(
        render("le {{started_at | local_date('%A %d %B')}} à {{started_at|local_time(\"%Hh%M\")}}",
               *paris) == "le dimanche 25 octobre à 02h00");
}

TEST_CASE("a quoted pattern may hold a bar", "[template]") {
    CHECK(render("{{started_at | local_time('%H | %M')}}") == "00 | 00");
}

TEST_CASE("a number filter leaves an empty value empty", "[template]") {
    CHECK(render("[{{max_value | round(1)}}]") == "[]");
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
    CHECK(error_of("{{ }}").message == "empty placeholder '{{ }}'");
    CHECK(error_of("{{ | round(1) }}").message == "a placeholder names a value before its filters");
}

TEST_CASE("an unknown filter is an error with a suggestion", "[template]") {
    auto filter = error_of("{{value | upper}}");
    CHECK(filter.message ==
          "unknown filter 'upper'; the filters are round(N), duration, local_time, local_date, "
          "local_datetime, in('unit')");
    CHECK(filter.offset == 10);
    CHECK(filter.length == 5);
    auto misspelt = error_of("Début : {{started_at | local_tme}}");
    CHECK(misspelt.message == "unknown filter 'local_tme'; did you mean 'local_time'?");
    CHECK(misspelt.offset == 24);
}

struct ErrorCase {
    std::string_view text;
    std::string_view message;
    std::size_t offset;
};

void check_errors(const std::vector<ErrorCase>& cases) {
    for (const auto& c : cases) {
        INFO(c.text);
        const TemplateError error = error_of(c.text);
        CHECK(error.message == c.message);
        CHECK(error.offset == c.offset);
    }
}

TEST_CASE("a filter applied to the wrong kind of value is an error", "[template]") {
    check_errors({
        {"{{ entity | local_time }}",
         "'local_time' applies to a time such as started_at; 'entity' is text", 12},
        {"{{started_at | round(1)}}",
         "'round' applies to a number such as value; 'started_at' is a time", 15},
        {"{{value | local_date}}",
         "'local_date' applies to a time such as started_at; 'value' is a number or a text", 10},
        {"{{value | round(1) | duration}}",
         "'duration' applies to a number such as value; 'value | round(1)' is text", 21},
    });
}

TEST_CASE("filter arguments are checked", "[template]") {
    const std::string_view digits = "round takes a number of digits from 0 to 9: round(1)";
    check_errors({
        {"{{value | round}}", digits, 10},
        {"{{value | round(12)}}", digits, 16},
        {"{{value | duration(2)}}", "'duration' takes no argument", 19},
        {"{{started_at | local_time(%H)}}",
         "local_time takes a quoted pattern: local_time('%d/%m à %Hh%M')", 26},
        {"{{started_at | local_time('%H:%q')}}",
         "unknown directive in the pattern; the directives are %d %m %Y %H %M %S %A %B %Z and %%",
         30},
        {"{{value | round 1}}", "expected '(argument)' or the end of 'round'", 16},
    });
    CHECK(error_of("{{started_at | local_time('%H:%q')}}").length == 2);
}

TEST_CASE("a quote left open inside a placeholder is an error, not a crash", "[template]") {
    // Found by the rules fuzzer: an apostrophe in text that an unclosed '{{' swallowed.
    CHECK_THAT(error_of("{{started_at: the town's\nity}}").message,
               Catch::Contains("unknown placeholder"));
    CHECK_THAT(error_of("{{'}}").message, Catch::Contains("unknown placeholder"));
    CHECK_FALSE(error_of("{{ value | round('1) }}").message.empty());
}

TEST_CASE("in('unit') writes a reading's value in another unit of its dimension", "[template]") {
    const auto render_in = [](std::string_view text, std::string unit, Value value) {
        auto parsed = Template::parse(text, kNames);
        REQUIRE(std::holds_alternative<Template>(parsed));
        return std::get<Template>(parsed).render([&](std::string_view name) -> Value {
            if (name == "unit") {
                return unit;
            }
            return name == "value" ? value : Value(std::string("x"));
        });
    };
    CHECK(render_in("{{value | in('l/h') | round(1)}} l/h", "m3/s", 0.00004) == "144.0 l/h");
    CHECK(render_in("{{value | in('kW')}} kW", "W", 52000.0) == "52 kW");
    CHECK(render_in("{{value | in('°C')}}", "Cel", 21.5) == "21.5");
    // No conversion possible: the number keeps its own unit rather than borrow the wrong one.
    CHECK(render_in("{{value | in('l/h')}}", "Cel", 21.5) == "21.5 Cel");
    CHECK(render_in("{{value | in('l/h')}}", "", 3.0) == "3");
    CHECK(render_in("{{value | in('l/h')}}", "m3/s", Value(std::string("DRY"))) == "DRY");
}

TEST_CASE("in('unit') needs a known, quoted unit", "[template]") {
    CHECK(error_of("{{value | in}}").message == "in takes a quoted unit: in('l/h')");
    CHECK(error_of("{{value | in(l/h)}}").message == "in takes a quoted unit: in('l/h')");
    const auto unknown = error_of("{{value | in('l/hr')}}");
    CHECK(unknown.message.rfind("unknown unit 'l/hr'; did you mean", 0) == 0);
    CHECK(unknown.offset == 14);
    CHECK(error_of("{{duration | in('h')}}").message.rfind("'in' applies to a reading's number", 0) ==
          0);
}
