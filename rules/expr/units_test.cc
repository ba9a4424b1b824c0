// SPDX-License-Identifier: Apache-2.0
// Unit table tests: symbols and aliases, exact conversions within a dimension, none across.
#include "rules/expr/units.h"

#include <catch2/catch.hpp>

namespace passerelle::rules::expr {
namespace {

UnitId unit(std::string_view symbol) {
    const auto id = find_unit(symbol);
    REQUIRE(id.has_value());
    return *id;
}

std::optional<double> convert(double number, std::string_view from, std::string_view to) {
    return expr::convert(number, unit(from), unit(to));
}

}  // namespace

TEST_CASE("the territory's canonical units are known, aliases by their symbol", "[units]") {
    for (const std::string_view symbol :
         {"Cel", "%RH", "m3", "l", "m3/s", "l/s", "W", "kW", "Wh", "kWh", "count"}) {
        CHECK(units()[unit(symbol)].symbol == symbol);
    }
    CHECK(unit("\u00b0C") == unit("Cel"));
    CHECK(unit("m\u00b3") == unit("m3"));
    CHECK(unit("m\u00b3/h") == unit("m3/h"));
    CHECK_FALSE(find_unit("kw").has_value());  // case matters, as in SenML
    CHECK_FALSE(find_unit("").has_value());
    CHECK_FALSE(find_unit("V").has_value());
}

TEST_CASE("conversions within a dimension are exact for whole numbers", "[units]") {
    CHECK(convert(60000, "W", "kW") == 60.0);
    CHECK(convert(60, "kW", "W") == 60000.0);
    CHECK(convert(1500, "Wh", "kWh") == 1.5);
    CHECK(convert(500, "l", "m3") == 0.5);
    CHECK(convert(0.5, "l/s", "m3/h") == 1.8);
    CHECK(convert(3, "m3/h", "l/min") == 50.0);
    CHECK(convert(28, "Cel", "K") == 301.15);
    CHECK(convert(301.15, "K", "Cel") == Approx(28.0));
    CHECK(convert(28, "Cel", "Cel") == 28.0);
    CHECK(convert(80, "%RH", "%") == 80.0);
}

TEST_CASE("units of different dimensions do not convert", "[units]") {
    CHECK_FALSE(convert(3, "kW", "kWh").has_value());
    CHECK_FALSE(convert(3, "m3", "m3/s").has_value());
    CHECK_FALSE(convert(3, "count", "%").has_value());
}

TEST_CASE("a number is told in every unit of its dimension", "[units]") {
    CHECK(equivalents(50, unit("kW")) == "50000 for W, 50 for kW");
    CHECK(dimension_phrase(units()[unit("m3/h")].dimension) == "a flow");
}

}  // namespace passerelle::rules::expr
