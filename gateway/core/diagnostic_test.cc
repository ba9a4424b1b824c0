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

TEST_CASE("an excerpt never shows a meter's key", "[diagnostic]") {
    using passerelle::redact_keys;
    CHECK(redact_keys("  - {id: a, meter: {id: '1', key: 28F64A24988064A0, manufacturer: KAM}}") ==
          "  - {id: a, meter: {id: '1', key: ****************, manufacturer: KAM}}");
    CHECK(redact_keys("    key: \"28f6 4a24\"  # the demo's") == "    key: \"**** ****\"  # the demo's");
    CHECK(redact_keys("    key_env: EAU_KEY_76348799") == "    key_env: EAU_KEY_76348799");
    CHECK(redact_keys("    monkey: 12") == "    monkey: 12");
    Diagnostic d{passerelle::Severity::Warning, "config.inline-key", "m", {"e.yaml", 2, 13, 3}};
    CHECK(passerelle::format_diagnostic(d, "  {id: '1', key: 0A1B}") ==
          "e.yaml:2:13: warning[config.inline-key]: m\n"
          "    2 |   {id: '1', key: ****}\n"
          "      |             ^~~\n");
}
