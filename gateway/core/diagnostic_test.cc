// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/diagnostic.h"

#include <catch2/catch.hpp>

using passerelle::Diagnostic;

TEST_CASE("a diagnostic prints GCC style with a caret under the culprit", "[diagnostic]") {
    Diagnostic d{passerelle::Severity::Error, "rules.unknown-quantity",
                 "unknown quantity 'temprature'", {"rules/canicule.yaml", 14, 11, 10}};
    CHECK(passerelle::format_diagnostic(d, "    when: temprature >= 28") ==
          "rules/canicule.yaml:14:11: error[rules.unknown-quantity]: unknown quantity 'temprature'\n"
          "   14 |     when: temprature >= 28\n"
          "      |           ^~~~~~~~~~\n");
}

TEST_CASE("the caret lines up under UTF-8 text, one place per character", "[diagnostic]") {
    Diagnostic d{passerelle::Severity::Error, "expr.unit", "m", {"r.yaml", 3, 30, 6}};
    CHECK(passerelle::format_diagnostic(d, "    when: value >= 28 \u00b0C or 27 \u00b0C") ==
          "r.yaml:3:30: error[expr.unit]: m\n"
          "    3 |     when: value >= 28 \u00b0C or 27 \u00b0C\n"
          "      |                             ^~~~~\n");
}

TEST_CASE("an unknown position prints as a question mark", "[diagnostic]") {
    Diagnostic d{passerelle::Severity::Warning, "config.x", "something", {"a.yaml", 0, 0, 1}};
    CHECK(passerelle::format_diagnostic(d) == "a.yaml:?:?: warning[config.x]: something\n");
}

TEST_CASE("diagnostics sort by file, line and column", "[diagnostic]") {
    passerelle::Diagnostics all;
    all.error("b", "second", {"f.yaml", 9, 1, 1});
    all.error("a", "first", {"f.yaml", 2, 5, 1});
    all.warning("c", "third", {"g.yaml", 1, 1, 1});
    const auto sorted = all.sorted();
    CHECK(sorted[0].message == "first");
    CHECK(sorted[2].message == "third");
    CHECK(all.error_count() == 2);
    CHECK(all.warning_count() == 1);
}
