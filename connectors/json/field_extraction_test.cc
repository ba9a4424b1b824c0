// SPDX-License-Identifier: Apache-2.0
#include "connectors/json/field_extraction.h"

#include <array>
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "connectors/json/test_mapping.h"

namespace passerelle::connectors::json {
namespace {

using nlohmann::json;
using testing::constant;
using testing::field;
using testing::member;
using testing::pointer;
using testing::segment;

constexpr std::array<std::string_view, 4> kLevels{"capteurs", "hs-a-101", "temperature", "mesure"};

ExtractedValue value_of(const FieldSpec& spec, const json& record) {
    auto extracted = extract_value(spec, record, kLevels);
    REQUIRE(extracted);
    REQUIRE(extracted->has_value());
    return **extracted;
}

Error error_of(const FieldSpec& spec, const json& record) {
    auto extracted = extract_value(spec, record, kLevels);
    REQUIRE_FALSE(extracted);
    return extracted.error();
}

TEST_CASE("find_member walks objects and arrays and says where a path ends", "[json]") {
    const json doc = json::parse(R"({"a":{"b/c":[10,{"~x":2}]},"s":"text"})");
    std::string why;
    const json* found = find_member(doc, pointer("/a/b~1c/1/~0x"), why);
    REQUIRE(found != nullptr);
    CHECK(*found == 2);
    CHECK(find_member(doc, pointer(""), why) == &doc);
    CHECK(find_member(doc, pointer("/a/b~1c/2"), why) == nullptr);
    CHECK(why == "'/a/b~1c' has 2 elements");
    CHECK(find_member(doc, pointer("/a/b~1c/01"), why) == nullptr);
    CHECK(why == "'/a/b~1c' is an array and '01' is not an index");
    CHECK(find_member(doc, pointer("/a/b~1c/-"), why) == nullptr);
    CHECK(why == "'/a/b~1c' is an array and '-' is not an index");
    CHECK(find_member(doc, pointer("/s/0"), why) == nullptr);
    CHECK(why == "'/s' is a string");
    CHECK(find_member(doc, pointer("/t"), why) == nullptr);
    CHECK(why == "'/' has no member 't'");
}

TEST_CASE("a value is scaled and named from the mapping, the topic or the record", "[json]") {
    const json record = json::parse(R"({"t":215,"kind":"humidity","h":"48.5","on":true})");
    const ExtractedValue temperature =
        value_of(field(constant("temperature"), "/t", "Cel", 0.1), record);
    CHECK(temperature.quantity == "temperature");
    CHECK(std::get<double>(temperature.value) == Approx(21.5));
    CHECK(temperature.unit == "Cel");
    // Kelvin written as Celsius + 273.15: value * scale + offset.
    CHECK(std::get<double>(value_of(field(constant("t"), "/t", "K", 0.1, 273.15), record).value) ==
          Approx(294.65));
    CHECK(value_of(field(segment(2), "/t", "Cel"), record).quantity == "temperature");
    // Numeric strings, as JavaScript decoders' toFixed() gives them, are numbers.
    const ExtractedValue humidity = value_of(field(member("/kind"), "/h", "%RH"), record);
    CHECK(humidity.quantity == "humidity");
    CHECK(std::get<double>(humidity.value) == 48.5);
    // Booleans stay booleans, unscaled.
    CHECK(std::get<bool>(value_of(field(constant("switch"), "/on", "", 10.0), record).value));
}

TEST_CASE("an optional member may be absent or null", "[json]") {
    FieldSpec spec = field(constant("co2"), "/co2", "ppm");
    spec.optional = true;
    auto absent = extract_value(spec, json::parse(R"({"t":1})"), kLevels);
    REQUIRE(absent);
    CHECK_FALSE(absent->has_value());
    auto null = extract_value(spec, json::parse(R"({"co2":null})"), kLevels);
    REQUIRE(null);
    CHECK_FALSE(null->has_value());
    spec.optional = false;
    CHECK(error_of(spec, json::parse(R"({"co2":null})")).message == "'/co2' is null");
}

TEST_CASE("a unit may come from the record and must be a SenML unit", "[json]") {
    FieldSpec spec = field(constant("temperature"), "/v", "");
    spec.unit_pointer = pointer("/u");
    CHECK(value_of(spec, json::parse(R"({"v":3,"u":"Cel"})")).unit == "Cel");
    const Error unknown = error_of(spec, json::parse(R"({"v":3,"u":"°C"})"));
    CHECK(unknown.code == "json.unknown-unit");
    CHECK(unknown.message == "'/u' is '°C', not a SenML unit; the registry writes Cel");
    const Error absent = error_of(spec, json::parse(R"({"v":3})"));
    CHECK(absent.code == "json.missing-field");
    CHECK(absent.message == "no '/u': '/' has no member 'u'");
    CHECK(error_of(spec, json::parse(R"({"v":3,"u":1})")).message ==
          "'/u' must be a unit, a string, got a number");
}

TEST_CASE("every bad value is an error naming its pointer", "[json]") {
    const FieldSpec spec = field(constant("temperature"), "/m/t", "Cel", 1e300);
    const Error missing = error_of(spec, json::parse(R"({"m":{}})"));
    CHECK(missing.code == "json.missing-field");
    CHECK(missing.message == "no '/m/t': '/m' has no member 't'");
    const Error text = error_of(spec, json::parse(R"({"m":{"t":"warm"}})"));
    CHECK(text.code == "json.bad-field");
    CHECK(text.message == "'/m/t' must be a number, got a string \"warm\"");
    CHECK(error_of(spec, json::parse(R"({"m":{"t":[1]}})")).message ==
          "'/m/t' must be a number, got an array");
    for (const char* not_decimal :
         {"nan", "inf", "-inf", "0x10", "+1", " 1", "1 ", "", "-", "1e"}) {
        INFO(not_decimal);
        CHECK(error_of(spec, json{{"m", {{"t", not_decimal}}}}).code == "json.bad-field");
    }
    const Error overflow = error_of(spec, json::parse(R"({"m":{"t":1e10}})"));
    CHECK(overflow.code == "json.bad-value");
    CHECK(overflow.message == "'/m/t' is 10000000000.0, which scaled gives no finite number");
}

TEST_CASE("names must be identifiers, from the topic or the record", "[json]") {
    const json record = json::parse(R"({"kind":"a b","n":3,"v":1})");
    const Error spaced = error_of(field(member("/kind"), "/v", ""), record);
    CHECK(spaced.code == "json.bad-name");
    CHECK(spaced.message ==
          "quantity 'a b' (from '/kind') may only hold letters, digits, '-', '_' and '.'");
    CHECK(error_of(field(member("/n"), "/v", ""), record).message ==
          "'/n' must be the quantity's name, a string, got a number");
    CHECK(error_of(field(segment(7), "/v", ""), record).message ==
          "the topic has no level 7 for the quantity");
    const std::array<std::string_view, 2> plus{"a", "b+c"};
    auto bad_level = resolve_name(segment(1), "entity", record, plus);
    REQUIRE_FALSE(bad_level);
    CHECK(bad_level.error().message ==
          "entity 'b+c' (from topic level 1) may only hold letters, digits, '-', '_' and '.'");
}

}  // namespace
}  // namespace passerelle::connectors::json
