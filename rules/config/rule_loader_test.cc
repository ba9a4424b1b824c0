// SPDX-License-Identifier: Apache-2.0
#include "rules/config/rule_loader.h"

#include <catch2/catch.hpp>

#include "gateway/core/agreement_test_support.h"
#include "rules/compiler/rule_compiler.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)

namespace {

const char* const kValidRules = R"(version: 1
rules:
  - id: canicule-logement
    listen: telemetry/+/+/temperature
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    for: 2h
    clear: value < 26.5
    actions:
      - notify: ccas
        when: entity.vulnerable
        message: "Logement {{entity}} : {{value}} °C"
      - notify: "{{provider}}"
        message: "Logement {{entity}}"
)";

Territory loader_territory() {
    Territory t;
    t.stakeholders = {{"ccas", "CCAS", "ccas", {}},
                      {"bailleur", "Bailleur", "bailleur", {}},
                      {"ville", "Ville", "ville", {}}};
    t.entities.add(Entity{"logt-1", "dwelling", "bailleur", "bat-a", {{"vulnerable", true}}, {}, {}, {}});
    passerelle::test_support::share_all(t);
    return t;
}

std::string compile_errors(const std::string& text) {
    Diagnostics diagnostics;
    auto file = rules::load_rules_text(text, "r.yaml", diagnostics);
    if (file) {
        const Territory t = loader_territory();
        static_cast<void>(rules::compile_rules({*file}, t, diagnostics));
    }
    std::string out;
    for (const auto& d : diagnostics.sorted()) {
        out += format_diagnostic(d);
    }
    return out;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid rules file loads and compiles", "[rules-loader]") {
    Diagnostics diagnostics;
    auto file = rules::load_rules_text(kValidRules, "r.yaml", diagnostics);
    REQUIRE(file.has_value());
    REQUIRE(file->rules.size() == 1);
    const auto& rule = file->rules[0];
    CHECK(rule.id.value == "canicule-logement");
    CHECK(rule.for_duration == std::chrono::hours(2));
    CHECK(rule.actions.size() == 2);
    const Territory t = loader_territory();
    auto compiled = rules::compile_rules({*file}, t, diagnostics);
    REQUIRE(compiled != nullptr);
    CHECK(compiled->subscriptions() ==
          std::vector<std::string>{"telemetry/+/+/temperature", "signal/ville/canicule-level"});
    CHECK(compiled->rules[0].key_is_entity);
    // A rule listening to all telemetry covers the first one's filter: one subscription for both.
    std::string two = kValidRules;
    two += "  - id: tout\n    listen: telemetry/#\n    when: value > 100\n    actions:\n"
           "      - notify: ccas\n        message: x\n";
    auto both = rules::load_rules_text(two, "r.yaml", diagnostics);
    REQUIRE(both.has_value());
    auto compiled_both = rules::compile_rules({*both}, t, diagnostics);
    REQUIRE(compiled_both != nullptr);
    CHECK(compiled_both->subscriptions() ==
          std::vector<std::string>{"telemetry/#", "signal/ville/canicule-level"});
    CHECK(diagnostics.all().empty());
}

TEST_CASE("errors point at the exact place, inside expressions too", "[rules-loader]") {
    CHECK(compile_errors(replace(kValidRules, "value >= 28", "valeu >= 28")) ==
          "r.yaml:5:11: error[expr.unknown-identifier]: unknown identifier 'valeu'; did you mean "
          "'value'?\n");
    CHECK(compile_errors(replace(kValidRules, "    for: 2h", "    fr: 2h")) ==
          "r.yaml:6:5: error[yaml.unknown-key]: unknown key 'fr' in a rule; did you mean 'for'?\n");
    CHECK(compile_errors(replace(kValidRules, "for: 2h", "for: 2 hours")) ==
          "r.yaml:6:10: error[yaml.bad-duration]: '2 hours' is not a duration; write a number and "
          "a unit, such as 90s, 15min, 2h or 3d\n");
    CHECK(compile_errors(replace(kValidRules, "notify: ccas", "notify: cacs")) ==
          "r.yaml:9:17: error[rules.unknown-recipient]: 'cacs' is not a declared stakeholder; did "
          "you mean 'ccas'?\n");
    CHECK(compile_errors(replace(kValidRules, "{{value}}", "{{valeur}}")) ==
          "r.yaml:11:43: error[rules.bad-template]: unknown placeholder 'valeur'; did you mean "
          "'value'?\n");
    CHECK(compile_errors(replace(kValidRules, "{{value}}", "{{value | local_tme}}")) ==
          "r.yaml:11:51: error[rules.bad-template]: unknown filter 'local_tme'; did you mean "
          "'local_time'?\n");
    CHECK(compile_errors(replace(kValidRules, "{{entity}} :", "{{ entity | local_time }} :")) ==
          "r.yaml:11:40: error[rules.bad-template]: 'local_time' applies to a time such as "
          "started_at; 'entity' is text\n");
    CHECK(compile_errors(replace(kValidRules, "telemetry/+/+/temperature", "telemetry/#/x")) ==
          "r.yaml:4:13: error[rules.bad-topic-filter]: topic filter 'telemetry/#/x': '#' must be a "
          "whole level and the last\n");
    CHECK(compile_errors(replace(kValidRules, "telemetry/+/+/temperature", "\"#\"")) ==
          "r.yaml:4:13: error[rules.not-canonical]: 'listen' takes a filter over canonical topics, "
          "starting with telemetry/ or signal/, not '#'\n");
    CHECK(compile_errors(replace(kValidRules, "version: 1", "version: 2")) ==
          "r.yaml:1:10: error[rules.unsupported-version]: rules file version 2 is not supported; "
          "this Passerelle reads version 1\n");
}

TEST_CASE("YAML syntax errors and missing fields are reported, not thrown", "[rules-loader]") {
    CHECK(compile_errors("version: 1\nrules:\n  - id: [unclosed\n") ==
          "r.yaml:4:1: error[yaml.syntax]: end of sequence flow not found\n");
    CHECK(compile_errors("version: 1\nrules:\n  - id: x\n    listen: signal/a/b\n    actions: []\n") ==
          "r.yaml:3:5: error[yaml.missing-key]: a rule needs 'when'\n"
          "r.yaml:5:14: error[rules.bad-actions]: 'actions' must be a list of at least one action\n");
    CHECK(compile_errors("rules: 3\n") ==
          "r.yaml:1:1: error[rules.missing-version]: a rules file starts with 'version: 1'\n"
          "r.yaml:1:8: error[rules.no-rules]: 'rules' must be a list of rules\n");
}

TEST_CASE("rule ids are unique", "[rules-loader]") {
    const std::string twice = std::string(kValidRules) +
                              std::string(kValidRules).substr(std::string(kValidRules).find("  - id"));
    CHECK(compile_errors(twice).find("error[rules.duplicate-id]: rule id 'canicule-logement' is "
                                     "used twice in this file") != std::string::npos);
}
