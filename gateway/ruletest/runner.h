// SPDX-License-Identifier: Apache-2.0
// Runs rule tests: injected readings through a fresh engine, notifications compared in order.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"
#include "gateway/routing/route.h"
#include "gateway/ruletest/test_file.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::ruletest {

/// One line of a failed test's diff: both sides differ, or only one side exists (a missing or an
/// unexpected notification).
struct Mismatch {
    std::optional<ExpectedNotification> expected;
    std::optional<ExpectedNotification> got;
};

struct TestOutcome {
    std::string name;
    std::vector<ExpectedNotification> got;
    std::vector<Mismatch> mismatches;

    bool passed() const { return mismatches.empty(); }
};

/// Whether a produced notification satisfies an expectation (the message only when given).
bool satisfies(const ExpectedNotification& got, const ExpectedNotification& expected);

/// Aligns the two ordered lists on their longest common part, so that one late notification shows
/// as one mismatch rather than as every later line shifted.
std::vector<Mismatch> compare_notifications(const std::vector<ExpectedNotification>& expected,
                                            const std::vector<ExpectedNotification>& got);

/// Runs one test on a fresh engine. A reading the live gateway would refuse (topic not canonical,
/// provider not the entity's owner) is an error of the test file: reported, and nothing returned.
/// `zone` is where the rules read hours and days. Recipients with a route get its grouped
/// notices, at the times they fall due.
std::optional<TestOutcome> run_rule_test(const RuleTest& test,
                                         const std::shared_ptr<const rules::RuleSet>& rule_set,
                                         const Territory& territory, const TimeZone& zone,
                                         Diagnostics& diagnostics,
                                         const routing::RoutingConfig& routing = {});

/// `at 2h15min ccas canicule-logement hs-a-301 firing`, then the message when `with_message`.
std::string describe(const ExpectedNotification& notification, bool with_message);

/// `ok   FILE: NAME`, or `FAIL FILE: NAME` followed by the aligned diff; ends with a newline.
std::string format_outcome(const std::string& file, const TestOutcome& outcome);

struct RunTotals {
    std::size_t tests = 0;
    std::size_t passed = 0;
    std::size_t failed = 0;
    bool invalid = false;  // a test file or its configuration had errors
};

/// Loads a test file and its configuration, runs every test and appends the reports to `report`.
/// Problems of the files go to `diagnostics` and set `totals.invalid`.
void run_test_file(const std::string& path, RunTotals& totals, std::string& report,
                   Diagnostics& diagnostics);

/// `3 tests, 2 passed, 1 failed`: the last line, which CI reads.
std::string format_totals(const RunTotals& totals);

}  // namespace passerelle::ruletest
