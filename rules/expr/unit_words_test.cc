// SPDX-License-Identifier: Apache-2.0
// Unit word tests: where a unit after a number ends, when '%' is one, what a typo meant.
#include "rules/expr/unit_words.h"

#include <catch2/catch.hpp>

namespace passerelle::rules::expr {

TEST_CASE("a unit word runs over letters, digits, degree signs and inner slashes", "[unit-words]") {
    CHECK(unit_word_length("kW and", 0) == 2);
    CHECK(unit_word_length("m3/h)", 0) == 4);
    CHECK(unit_word_length("\u00b0C ", 0) == 3);
    CHECK(unit_word_length("m\u00b3/s", 0) == 5);
    CHECK(unit_word_length("%RH", 0) == 3);
    CHECK(unit_word_length("kW/2", 0) == 2);  // a division, not a unit
    CHECK(unit_word_length("28", 0) == 0);
    CHECK(unit_word_length("(", 0) == 0);
    CHECK(unit_word_length("", 0) == 0);
}

TEST_CASE("a '%' after a number is the unit only where a remainder could not be", "[unit-words]") {
    for (const std::string_view after :
         {"%", "% ", "%)", "% ]", "%, 3", "% < value", "% >= 2", "% == 1", "% != 1", "% and flag",
          "% or flag", "%&&a", "% || a"}) {
        CHECK(percent_is_unit(after, 0));
    }
    for (const std::string_view after : {"% 3", "%3", "% -3", "% value", "% (2)", "% order"}) {
        CHECK_FALSE(percent_is_unit(after, 0));
    }
}

TEST_CASE("a misspelt unit suggests the one meant", "[unit-words]") {
    CHECK(unit_suggestion("kw") == "kW");
    CHECK(unit_suggestion("KWH") == "kWh");
    CHECK(unit_suggestion("degC") == "Cel");
    CHECK(unit_suggestion("L") == "l");
    CHECK(unit_suggestion("%rh") == "%RH");
    CHECK(unit_suggestion("Cell") == "Cel");
    CHECK(unit_suggestion("counts") == "count");
    CHECK_FALSE(unit_suggestion("x").has_value());  // one letter off 'K' is a guess
    CHECK_FALSE(unit_suggestion("value").has_value());
}

}  // namespace passerelle::rules::expr
