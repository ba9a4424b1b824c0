// SPDX-License-Identifier: Apache-2.0
// The series notation of rule tests: every form, and mistakes pointed at precisely.
#include "gateway/ruletest/series.h"

#include <catch2/catch.hpp>

using passerelle::Value;
using passerelle::ruletest::parse_series;
using passerelle::ruletest::SeriesItem;

namespace {

std::vector<SeriesItem> numbers(std::initializer_list<double> values) {
    std::vector<SeriesItem> items;
    for (const double value : values) {
        items.emplace_back(std::in_place, value);
    }
    return items;
}

std::vector<SeriesItem> parsed(std::string_view text) {
    auto series = parse_series(text);
    INFO(text);
    REQUIRE(series.ok());
    return series.items;
}

}  // namespace

TEST_CASE("series: single values and repetitions", "[ruletest]") {
    CHECK(parsed("27") == numbers({27}));
    CHECK(parsed("27 29x3  26") == numbers({27, 29, 29, 29, 26}));
    CHECK(parsed("26.5 -3 1e1") == numbers({26.5, -3, 10}));
    CHECK(parsed("4x1") == numbers({4}));
}

TEST_CASE("series: increasing and decreasing runs hold K+1 values", "[ruletest]") {
    CHECK(parsed("1+2x3") == numbers({1, 3, 5, 7}));
    CHECK(parsed("10-0.5x2") == numbers({10, 9.5, 9}));
    CHECK(parsed("-1+1x2") == numbers({-1, 0, 1}));
    CHECK(parsed("0+0x1 5") == numbers({0, 0, 5}));
}

TEST_CASE("series: gaps, strings and booleans", "[ruletest]") {
    const std::vector<SeriesItem> gaps{std::nullopt, Value(1.0), std::nullopt, std::nullopt};
    CHECK(parsed("_ 1 _x2") == gaps);
    const std::vector<SeriesItem> words{Value(std::string("rouge")),
                                        Value(std::string("rouge vif")),
                                        Value(std::string("rouge vif")), Value(std::string(""))};
    CHECK(parsed(R"("rouge" "rouge vif"x2 "")") == words);
    const std::vector<SeriesItem> flags{Value(true), Value(false), Value(false)};
    CHECK(parsed("true falsex2") == flags);
}

TEST_CASE("series: mistakes are reported with their position and the accepted forms",
          "[ruletest]") {
    auto series = parse_series("27 abc 3");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].offset == 3);
    CHECK(series.errors[0].length == 3);
    CHECK(series.errors[0].message ==
          "'abc' is not a value; write a number (27), NxK (27x12), A+BxK (20+0.5x8), _ for no "
          "value, \"text\", true or false");

    series = parse_series("26 29x0");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].offset == 5);
    CHECK(series.errors[0].length == 2);
    CHECK(series.errors[0].message ==
          "the count after 'x' must be a whole number of at least 1, not '0'");

    series = parse_series("1 2x");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].offset == 3);
    CHECK(series.errors[0].message ==
          "the count after 'x' must be a whole number of at least 1, not ''");

    series = parse_series("5 1+2");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].offset == 2);
    CHECK(series.errors[0].length == 3);
    CHECK(series.errors[0].message == "'1+2' needs a count of steps, as in 20+0.5x8");

    series = parse_series("1 \"rouge");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].offset == 2);
    CHECK(series.errors[0].message == "a string has no closing '\"'");

    series = parse_series("  ");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].message == "a series needs at least one value");

    series = parse_series("1x1000000000");
    REQUIRE(series.errors.size() == 1);
    CHECK(series.errors[0].message == "a series may hold at most 100000 values");
    CHECK(series.items.empty());
}

TEST_CASE("series: every mistake is reported, not only the first", "[ruletest]") {
    const auto series = parse_series("x 1 +3 truex inf");
    REQUIRE(series.errors.size() == 4);
    CHECK(series.errors[0].offset == 0);
    CHECK(series.errors[1].offset == 4);
    CHECK(series.errors[2].offset == 11);  // the count of "truex"
    CHECK(series.errors[3].offset == 13);
}
