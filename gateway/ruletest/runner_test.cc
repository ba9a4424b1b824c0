// SPDX-License-Identifier: Apache-2.0
// Rule tests against the example territory: passing, failing and invalid tests reported right.
#include "gateway/ruletest/runner.h"

#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "gateway/config/settings_loader.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"

using namespace passerelle;            // NOLINT(google-build-using-namespace)
using namespace passerelle::ruletest;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

const std::string kConfig = PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml";

/// The example territory and its compiled rules, loaded once for all the tests here.
struct Territoire {
    config::Settings settings;
    std::shared_ptr<const rules::RuleSet> rules;
};

const Territoire& territoire() {
    static const Territoire loaded = [] {
        Diagnostics diagnostics;
        auto settings = config::load_settings(kConfig, diagnostics);
        REQUIRE(settings.has_value());
        auto rule_set =
            rules::load_and_compile_rules(settings->rule_files, settings->territory, diagnostics);
        REQUIRE(rule_set != nullptr);
        return Territoire{std::move(*settings), std::move(rule_set)};
    }();
    return loaded;
}

RuleTest one_test(const std::string& text, Diagnostics& diagnostics) {
    const std::string file = "version: 1\nconfig: passerelle.yaml\ntests:\n" + text;
    auto loaded = load_test_text(file, "t.test.yaml", diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(loaded.has_value());
    REQUIRE(loaded->tests.size() == 1);
    return loaded->tests.front();
}

const std::string kHeatwave = R"(  - name: canicule
    start: 2026-07-14T10:00:00Z
    interval: 15min
    input:
      - topic: signal/ville/canicule-level
        values: "3"
      - topic: telemetry/habitat-sud/hs-a-301/temperature
        values: "27 29x12 26"
    expect:
)";

/// One expected notification of hs-a-301, on one line of YAML.
std::string entry(const std::string& at, const std::string& recipient, const std::string& status,
                  const std::string& message = "") {
    return fmt::format(
        "      - {{at: {}, recipient: {}, rule: canicule-logement, key: hs-a-301, "
        "status: {}{}}}\n",
        at, recipient, status,
        message.empty() ? std::string() : fmt::format(", message: \"{}\"", message));
}

ExpectedNotification notification(Duration at, std::string recipient, rules::AlertStatus status) {
    return ExpectedNotification{at,     std::move(recipient), "canicule-logement", "hs-a-301",
                                status, std::nullopt,         std::nullopt,        SourceSpan{}};
}

}  // namespace

TEST_CASE("runner: a passing test", "[ruletest]") {
    Diagnostics diagnostics;
    const auto test = one_test(
        kHeatwave + entry("2h15min", "ccas", "firing") + entry("2h15min", "habitat-sud", "firing") +
            entry("3h15min", "ccas", "resolved") + entry("3h15min", "habitat-sud", "resolved"),
        diagnostics);
    const auto outcome =
        run_rule_test(test, territoire().rules, territoire().settings.territory,
                      territoire().settings.time_zone, diagnostics);
    REQUIRE(outcome.has_value());
    CHECK(outcome->passed());
    CHECK(outcome->got.size() == 4);
    CHECK(format_outcome("t.test.yaml", *outcome) == "ok   t.test.yaml: canicule\n");
}

TEST_CASE("runner: a wrong time, a missing and an unexpected notification", "[ruletest]") {
    Diagnostics diagnostics;
    const auto test = one_test(
        kHeatwave + entry("2h30min", "ccas", "firing") + entry("2h15min", "habitat-sud", "firing") +
            entry("3h15min", "habitat-sud", "resolved") + entry("5h", "habitat-sud", "firing"),
        diagnostics);
    const auto outcome =
        run_rule_test(test, territoire().rules, territoire().settings.territory,
                      territoire().settings.time_zone, diagnostics);
    REQUIRE(outcome.has_value());
    CHECK_FALSE(outcome->passed());
    CHECK(format_outcome("t.test.yaml", *outcome) ==
          "FAIL t.test.yaml: canicule\n"
          "    expected: at 2h30min ccas canicule-logement hs-a-301 firing  (t.test.yaml:13)\n"
          "    got:      at 2h15min ccas canicule-logement hs-a-301 firing\n"
          "    expected: (nothing: unexpected notification)\n"
          "    got:      at 3h15min ccas canicule-logement hs-a-301 resolved\n"
          "    expected: at 5h habitat-sud canicule-logement hs-a-301 firing  (t.test.yaml:16)\n"
          "    got:      (nothing: missing notification)\n");
}

TEST_CASE("runner: a message is compared only when the test gives one", "[ruletest]") {
    Diagnostics diagnostics;
    const auto test = one_test(
        kHeatwave + entry("2h15min", "ccas", "firing", "Logement hs-a-301 : 29 °C") +
            entry("2h15min", "habitat-sud", "firing") + entry("3h15min", "ccas", "resolved") +
            entry("3h15min", "habitat-sud", "resolved"),
        diagnostics);
    const auto outcome =
        run_rule_test(test, territoire().rules, territoire().settings.territory,
                      territoire().settings.time_zone, diagnostics);
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->mismatches.size() == 1);
    REQUIRE(outcome->mismatches[0].got.has_value());
    CHECK(outcome->mismatches[0].got->message ==
          "Logement hs-a-301 (personne vulnérable) : 29.0 °C depuis le 14/07/2026 14:15");
}

TEST_CASE("runner: a reading the gateway would refuse makes the test file invalid", "[ruletest]") {
    Diagnostics diagnostics;
    const auto test = one_test(R"(  - name: mauvais bailleur
    start: 2026-07-14T10:00:00Z
    interval: 15min
    input:
      - topic: telemetry/logis-nord/hs-a-301/temperature
        values: "29x3"
    expect: []
)",
                               diagnostics);
    CHECK_FALSE(
        run_rule_test(test, territoire().rules, territoire().settings.territory,
                      territoire().settings.time_zone, diagnostics));
    REQUIRE(diagnostics.all().size() == 1);
    CHECK(diagnostics.all()[0].code == "ruletest.refused-reading");
    CHECK(diagnostics.all()[0].span.line == 8);
}

TEST_CASE("compare_notifications aligns on the longest common part", "[ruletest]") {
    using rules::AlertStatus;
    const std::vector<ExpectedNotification> expected{
        notification(1h, "ccas", AlertStatus::Firing),
        notification(2h, "ccas", AlertStatus::Firing),
        notification(3h, "ccas", AlertStatus::Resolved)};
    const std::vector<ExpectedNotification> got{notification(1h, "ccas", AlertStatus::Firing),
                                                notification(3h, "ccas", AlertStatus::Resolved)};
    const auto mismatches = compare_notifications(expected, got);
    REQUIRE(mismatches.size() == 1);
    REQUIRE(mismatches[0].expected.has_value());
    CHECK(mismatches[0].expected->at == 2h);
    CHECK_FALSE(mismatches[0].got.has_value());
    CHECK(compare_notifications(expected, expected).empty());
}

TEST_CASE("test files: unknown keys and bad values are reported where they are", "[ruletest]") {
    Diagnostics diagnostics;
    const auto file = load_test_text(R"(version: 1
config: passerelle.yaml
tests:
  - name: t
    start: 2026-07-14 10:00
    interval: 15min
    input:
      - {topic: signal/ville/canicule-level, valeus: "3"}
    expect:
      - {at: 2h, recipient: ccas, rule: r, key: k, status: firng}
)",
                                     "t.test.yaml", diagnostics);
    CHECK_FALSE(file.has_value());
    const auto sorted = diagnostics.sorted();
    REQUIRE(sorted.size() == 4);
    CHECK(sorted[0].message ==
          "'2026-07-14 10:00' is not a UTC time; write it as 2026-07-14T10:00:00Z");
    CHECK(sorted[1].code == "yaml.missing-key");  // 'values', misspelt
    CHECK(sorted[2].message == "unknown key 'valeus' in a test input; did you mean 'values'?");
    CHECK(sorted[2].span.line == 8);
    CHECK(sorted[2].span.column == 46);
    CHECK(sorted[3].message == "status 'firng' is not firing, resolved or flapping; did you mean 'firing'?");
}

TEST_CASE("test files: the configuration is found next to the test file", "[ruletest]") {
    Diagnostics diagnostics;
    const auto file = load_test_text(
        "version: 1\nconfig: ../passerelle.yaml\ntests:\n" + kHeatwave + "      []\n",
        "examples/territoire/tests/t.test.yaml", diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(file.has_value());
    CHECK(file->config == "examples/territoire/passerelle.yaml");
}

TEST_CASE("a rule test sees derived signals, and the rules they fire", "[ruletest][signal]") {
    // Two rules chained by the town's signal `surchauffe-<dwelling>`.
    std::ifstream in(PASSERELLE_SOURCE_DIR "/tests/data/rules/surchauffe-signal.yaml");
    const std::string rules_text{std::istreambuf_iterator<char>(in),
                                 std::istreambuf_iterator<char>()};
    Diagnostics diagnostics;
    const auto file = rules::load_rules_text(rules_text, "r.yaml", diagnostics);
    REQUIRE(file.has_value());
    // The town's derived signals, whatever their names, shared with the CCAS.
    Territory territory = territoire().settings.territory;
    Agreement signals;
    signals.id = "surchauffes";
    signals.from = "ville";
    signals.to = {"ccas"};
    signals.data = {"*"};
    territory.agreements.push_back(signals);
    for (const char* landlord : {"habitat-sud", "logis-nord", "chaleur", "eau"}) {
        Agreement temperatures = signals;
        temperatures.id = std::string("surchauffe-") + landlord;
        temperatures.from = landlord;
        temperatures.to = {"ville"};
        temperatures.data = {"temperature"};
        territory.agreements.push_back(temperatures);
    }
    const auto rule_set = rules::compile_rules({*file}, territory, diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(rule_set != nullptr);
    const RuleTest test = one_test(R"(  - name: chaîne
    start: 2026-07-14T10:00:00Z
    interval: 15min
    input:
      - topic: telemetry/habitat-sud/hs-a-301/temperature
        values: "31 25"
    expect:
      - {at: 0s, publish: signal/ville/surchauffe-hs-a-301, rule: surchauffe, key: hs-a-301, status: firing, value: "31"}
      - {at: 0s, recipient: ccas, rule: alerte-ville, key: surchauffe-hs-a-301, status: firing, message: "signal surchauffe-hs-a-301 : 31"}
      - {at: 15min, publish: signal/ville/surchauffe-hs-a-301, rule: surchauffe, key: hs-a-301, status: resolved, value: "0"}
      - {at: 15min, recipient: ccas, rule: alerte-ville, key: surchauffe-hs-a-301, status: resolved}
)",
                                   diagnostics);
    const auto outcome =
        run_rule_test(test, rule_set, territory, territoire().settings.time_zone, diagnostics);
    REQUIRE(outcome.has_value());
    for (const auto& mismatch : outcome->mismatches) {
        FAIL_CHECK("expected " << (mismatch.expected ? describe(*mismatch.expected, true) : "-")
                               << " got " << (mismatch.got ? describe(*mismatch.got, true) : "-"));
    }
    CHECK(outcome->mismatches.empty());
}

TEST_CASE("publish actions are checked when rules load", "[ruletest][signal]") {
    const auto errors = [](const std::string& action) {
        Diagnostics diagnostics;
        const std::string text = "version: 1\nrules:\n  - id: r\n    listen: "
                                 "telemetry/+/+/temperature\n    when: value > 1\n    actions:\n"
                                 "      - " +
                                 action + "\n";
        const auto file = rules::load_rules_text(text, "r.yaml", diagnostics);
        if (file) {
            rules::compile_rules({*file}, territoire().settings.territory, diagnostics);
        }
        return format_diagnostics(diagnostics);
    };
    CHECK_THAT(errors("{publish: telemetry/ville/x}"),
               Catch::Contains("'publish' takes a signal topic, signal/<stakeholder>/<name>"));
    CHECK_THAT(errors("{publish: signal/vile/x}"),
               Catch::Contains("'vile' is not a declared stakeholder; did you mean 'ville'?"));
    CHECK_THAT(errors("{publish: \"signal/{{provider}}/x\"}"),
               Catch::Contains("written as such, not as a placeholder"));
    CHECK_THAT(errors("{publish: signal/ville/x, value: valeur}"), Catch::Contains("r.yaml:7:"));
    CHECK_THAT(errors("{publish: signal/ville/x, valeur: 1}"), Catch::Contains("did you mean"));
    // Valid, but it would republish the landlords' temperatures as the town's signal.
    const std::string laundering =
        errors("{publish: signal/ville/x, value: value * 2, resolved_value: 0}");
    CHECK_THAT(laundering,
               Catch::Contains("r.yaml:7:19: error[rules.no-agreement]: this publish action would "
                               "put habitat-sud's temperature of hs-a-101 (and 10 other entities) "
                               "to ville (as its signal), and no agreement allows it"));
    CHECK(laundering.find("error[rules.bad") == std::string::npos);
}
