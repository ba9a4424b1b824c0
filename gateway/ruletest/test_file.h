// SPDX-License-Identifier: Apache-2.0
// Rule test files (`passerelle test`): readings to inject and the notifications they must give.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"
#include "gateway/ruletest/series.h"
#include "rules/engine/alert_event.h"

namespace passerelle::ruletest {

inline constexpr int kTestFileVersion = 1;

/// One input of a test: the values of one canonical topic, one per interval from the test's start.
struct InputSeries {
    std::string topic;
    std::string unit;
    std::vector<SeriesItem> items;
    SourceSpan span;  // the input's `topic`: where a refused reading is reported
};

/// A notification as a test states it, or as a run produced it.
struct ExpectedNotification {
    Duration at{0};  // from the test's start to the notification's `ts`
    std::string recipient;
    std::string rule;
    std::string key;
    rules::AlertStatus status = rules::AlertStatus::Firing;
    std::optional<std::string> message;  // compared only when the test gives it
    /// The keys of the alerts a routed (grouped) notice lists; compared only when given.
    std::optional<std::vector<std::string>> alerts;
    SourceSpan span;                     // empty file for notifications that were produced
};

/// Someone of a routed recipient takes charge of a group's alerts, at a time of the test.
struct TestAcknowledgement {
    Duration at{0};
    std::string recipient;
    std::string rule;
    std::string key;  // the group's
    std::string by;
    std::string comment;
    SourceSpan span;
};

/// A routed recipient silences some of its alerts, at a time of the test, for a while.
struct TestSilence {
    Duration at{0};
    std::string recipient;
    std::map<std::string, std::string> matchers;
    Duration length{0};
    std::string author;
    std::string reason;
    SourceSpan span;
};

/// A desk's client says whether it holds a session at the broker (routes with a fallback).
struct TestPresence {
    Duration at{0};
    std::string receiver;  // "ccas" or "ccas/astreinte"
    bool online = false;
    SourceSpan span;
};

struct RuleTest {
    std::string name;
    Timestamp start;
    Duration interval{0};
    std::vector<InputSeries> inputs;
    std::vector<ExpectedNotification> expected;
    std::vector<TestAcknowledgement> acknowledgements;  // in time order
    std::vector<TestSilence> silences;                  // in time order
    std::vector<TestPresence> presences;                // in time order
    SourceSpan span;
};

struct TestFile {
    std::string path;
    std::string config;  // resolved against the test file's folder
    /// `time_zone`: the zone of the rules for these tests, instead of the configuration's.
    struct Zone {
        std::string value;
        SourceSpan span;
    };
    std::optional<Zone> time_zone;
    std::vector<RuleTest> tests;
};

/// Reads a test file; every structural problem goes to `diagnostics` with its position. Returns
/// nothing when any error was reported.
std::optional<TestFile> load_test_file(const std::string& path, Diagnostics& diagnostics);
std::optional<TestFile> load_test_text(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics);

}  // namespace passerelle::ruletest
