// SPDX-License-Identifier: Apache-2.0
// Reading rule test files as carefully as rules files: every key checked, every position kept.
#include "gateway/ruletest/test_file.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "gateway/core/units.h"
#include "rules/config/yaml_source.h"

namespace passerelle::ruletest {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kFileKeys{"version", "config", "time_zone", "tests"};
const std::vector<std::string> kTestKeys{"name",   "start",       "interval", "input",
                                         "expect", "acknowledge", "silence",  "presence"};
const std::vector<std::string> kAcknowledgeKeys{"at", "recipient", "rule", "key", "by", "comment"};
const std::vector<std::string> kSilenceKeys{"at",  "recipient", "matchers",
                                            "for", "author",    "reason"};
const std::vector<std::string> kPresenceKeys{"at", "receiver", "state"};
const std::vector<std::string> kInputKeys{"topic", "unit", "values"};
const std::vector<std::string> kExpectKeys{"at",     "recipient", "publish", "rule",  "key",
                                           "status", "message",   "value",   "alerts"};
const std::vector<std::string> kStatuses{"firing", "resolved", "flapping"};


/// A list under `key`; an absent key is reported when `required`, a non-list always.
std::optional<YAML::Node> sequence(MappingReader& reader, const std::string& key,
                                   const std::string& what) {
    const YAML::Node node = reader.get(key);
    if (!node) {
        reader.diagnostics().error("yaml.missing-key", fmt::format("{} needs '{}'", what, key),
                                   reader.span());
        return std::nullopt;
    }
    if (!node.IsSequence()) {
        reader.diagnostics().error("ruletest.expected-list",
                                   fmt::format("'{}' must be a list", key),
                                   span_of(node, reader.file()));
        return std::nullopt;
    }
    return node;
}

std::optional<InputSeries> read_input(const YAML::Node& node, const std::string& file,
                                      Diagnostics& diagnostics) {
    MappingReader reader(node, file, "test input", kInputKeys, diagnostics);
    // Past an unknown key the rest is still read, so that one run shows every mistake.
    if (!reader.valid() && !node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    InputSeries input;
    input.topic = reader.required_string("topic").value_or("");
    input.span = reader.has("topic") ? span_of(reader.get("topic"), file) : reader.span();
    input.unit = reader.optional_string("unit").value_or("");
    if (!input.unit.empty() && !is_senml_unit(input.unit)) {
        const auto hint = senml_unit_hint(input.unit);
        diagnostics.error("ruletest.bad-unit",
                          fmt::format("'{}' is not a unit of the SenML registry{}", input.unit,
                                      hint ? fmt::format("; use {}", *hint) : std::string()),
                          span_of(reader.get("unit"), file));
    }
    if (const auto values = reader.required_string("values")) {
        const YAML::Node values_node = reader.get("values");
        ParsedSeries series = parse_series(*values);
        for (const auto& error : series.errors) {
            diagnostics.error("ruletest.bad-series", error.message,
                              rules::span_in_scalar(values_node, file, error.offset, error.length));
        }
        input.items = std::move(series.items);
    }
    if (!reader.valid() || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return input;
}

std::optional<ExpectedNotification> read_expectation(const YAML::Node& node,
                                                     const std::string& file,
                                                     Diagnostics& diagnostics) {
    MappingReader reader(node, file, "expected notification", kExpectKeys, diagnostics);
    // Past an unknown key the rest is still read, so that one run shows every mistake.
    if (!reader.valid() && !node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    ExpectedNotification expected;
    expected.span = reader.span();
    if (reader.required_string("at")) {
        expected.at = reader.optional_duration("at").value_or(Duration(0));
    }
    // A derived signal is expected like a notification: its topic stands for the recipient and
    // its value, as printed, for the message.
    const bool signal = reader.has("publish");
    expected.recipient = reader.required_string(signal ? "publish" : "recipient").value_or("");
    expected.rule = reader.required_string("rule").value_or("");
    expected.key = reader.required_string("key").value_or("");
    if (const auto status = reader.required_string("status")) {
        if (*status == "resolved") {
            expected.status = rules::AlertStatus::Resolved;
        } else if (*status == "flapping") {
            expected.status = rules::AlertStatus::Flapping;
        } else if (*status != "firing") {
            diagnostics.error("ruletest.bad-status",
                              fmt::format("status '{}' is not firing, resolved or flapping{}",
                                          *status, did_you_mean(*status, kStatuses)),
                              span_of(reader.get("status"), file));
        }
    }
    expected.message = reader.optional_string(signal ? "value" : "message");
    // A routed notice lists its group's alerts: their keys, in the order they came.
    if (const YAML::Node alerts = reader.get("alerts")) {
        expected.alerts.emplace();
        if (!alerts.IsSequence()) {
            diagnostics.error("ruletest.bad-alerts", "'alerts' is a list of alert keys",
                              span_of(alerts, file));
        }
        for (const auto& alert : alerts) {
            if (alert.IsScalar()) {
                expected.alerts->push_back(alert.Scalar());
            } else {
                diagnostics.error("ruletest.bad-alerts", "'alerts' is a list of alert keys",
                                  span_of(alert, file));
            }
        }
    }
    if (!reader.valid() || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return expected;
}

std::optional<TestAcknowledgement> read_acknowledgement(const YAML::Node& node,
                                                        const std::string& file,
                                                        Diagnostics& diagnostics) {
    MappingReader reader(node, file, "acknowledgement", kAcknowledgeKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    TestAcknowledgement ack;
    ack.span = reader.span();
    const auto at = reader.required_string("at") ? reader.optional_duration("at") : std::nullopt;
    const auto recipient = reader.required_string("recipient");
    const auto rule = reader.required_string("rule");
    const auto key = reader.required_string("key");
    const auto by = reader.required_string("by");
    if (!at || !recipient || !rule || !key || !by) {
        return std::nullopt;
    }
    ack.at = *at;
    ack.recipient = *recipient;
    ack.rule = *rule;
    ack.key = *key;
    ack.by = *by;
    ack.comment = reader.optional_string("comment").value_or("");
    return ack;
}

std::optional<TestSilence> read_silence(const YAML::Node& node, const std::string& file,
                                        Diagnostics& diagnostics) {
    MappingReader reader(node, file, "silence", kSilenceKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    TestSilence silence;
    silence.span = reader.span();
    const auto at = reader.required_string("at") ? reader.optional_duration("at") : std::nullopt;
    const auto recipient = reader.required_string("recipient");
    const auto length =
        reader.required_string("for") ? reader.optional_duration("for") : std::nullopt;
    const auto author = reader.required_string("author");
    const auto reason = reader.required_string("reason");
    const YAML::Node matchers = reader.get("matchers");
    if (!matchers || !matchers.IsMap() || matchers.size() == 0) {
        diagnostics.error("ruletest.bad-silence",
                          "a silence needs 'matchers': labels and their values, e.g. "
                          "{building: hs-bat-a}",
                          silence.span);
        return std::nullopt;
    }
    for (const auto& entry : matchers) {
        silence.matchers[entry.first.Scalar()] = entry.second.Scalar();
    }
    if (!at || !recipient || !length || !author || !reason) {
        return std::nullopt;
    }
    silence.at = *at;
    silence.recipient = *recipient;
    silence.length = *length;
    silence.author = *author;
    silence.reason = *reason;
    return silence;
}

std::optional<TestPresence> read_presence(const YAML::Node& node, const std::string& file,
                                          Diagnostics& diagnostics) {
    MappingReader reader(node, file, "presence", kPresenceKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    TestPresence presence;
    presence.span = reader.span();
    const auto at = reader.required_string("at") ? reader.optional_duration("at") : std::nullopt;
    const auto receiver = reader.required_string("receiver");
    const auto state = reader.required_string("state");
    if (state && *state != "online" && *state != "offline") {
        diagnostics.error("ruletest.bad-presence", "'state' is online or offline",
                          span_of(reader.get("state"), file));
        return std::nullopt;
    }
    if (!at || !receiver || !state) {
        return std::nullopt;
    }
    presence.at = *at;
    presence.receiver = *receiver;
    presence.online = *state == "online";
    return presence;
}

std::optional<RuleTest> read_test(const YAML::Node& node, const std::string& file,
                                  Diagnostics& diagnostics) {
    MappingReader reader(node, file, "test", kTestKeys, diagnostics);
    // Past an unknown key the rest is still read, so that one run shows every mistake.
    if (!reader.valid() && !node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    RuleTest test;
    test.span = reader.span();
    test.name = reader.required_string("name").value_or("");
    if (const auto start = reader.required_string("start")) {
        if (const auto time = parse_utc(*start)) {
            test.start = *time;
        } else {
            diagnostics.error(
                "ruletest.bad-start",
                fmt::format("'{}' is not a UTC time; write it as 2026-07-14T10:00:00Z", *start),
                span_of(reader.get("start"), file));
        }
    }
    if (reader.required_string("interval")) {
        test.interval = reader.optional_duration("interval").value_or(Duration(0));
        if (test.interval <= Duration(0)) {
            diagnostics.error("ruletest.bad-interval", "'interval' must be longer than zero",
                              span_of(reader.get("interval"), file));
        }
    }
    if (const auto inputs = sequence(reader, "input", "a test")) {
        if (inputs->size() == 0) {
            diagnostics.error("ruletest.no-input", "'input' needs at least one series",
                              span_of(*inputs, file));
        }
        for (const auto& input_node : *inputs) {
            if (auto input = read_input(input_node, file, diagnostics)) {
                test.inputs.push_back(std::move(*input));
            }
        }
    }
    // An empty `expect` is meaningful: nothing at all may be notified.
    if (const auto expected = sequence(reader, "expect", "a test")) {
        for (const auto& expected_node : *expected) {
            if (auto notification = read_expectation(expected_node, file, diagnostics)) {
                test.expected.push_back(std::move(*notification));
            }
        }
    }
    // `acknowledge`: someone of a routed recipient takes charge of a group (docs/routing.md).
    if (const YAML::Node acks = reader.get("acknowledge")) {
        if (!acks.IsSequence()) {
            diagnostics.error("ruletest.expected-list", "'acknowledge' must be a list",
                              span_of(acks, file));
        } else {
            for (const auto& ack_node : acks) {
                if (auto ack = read_acknowledgement(ack_node, file, diagnostics)) {
                    test.acknowledgements.push_back(std::move(*ack));
                }
            }
            std::stable_sort(test.acknowledgements.begin(), test.acknowledgements.end(),
                             [](const auto& a, const auto& b) { return a.at < b.at; });
        }
    }
    // `silence`: a routed recipient mutes some of its alerts for a while.
    if (const YAML::Node silences = reader.get("silence")) {
        if (!silences.IsSequence()) {
            diagnostics.error("ruletest.expected-list", "'silence' must be a list",
                              span_of(silences, file));
        } else {
            for (const auto& silence_node : silences) {
                if (auto silence = read_silence(silence_node, file, diagnostics)) {
                    test.silences.push_back(std::move(*silence));
                }
            }
            std::stable_sort(test.silences.begin(), test.silences.end(),
                             [](const auto& a, const auto& b) { return a.at < b.at; });
        }
    }
    // `presence`: a desk's client connects or goes away (routes with a fallback).
    if (const YAML::Node presences = reader.get("presence")) {
        if (!presences.IsSequence()) {
            diagnostics.error("ruletest.expected-list", "'presence' must be a list",
                              span_of(presences, file));
        } else {
            for (const auto& presence_node : presences) {
                if (auto presence = read_presence(presence_node, file, diagnostics)) {
                    test.presences.push_back(std::move(*presence));
                }
            }
            std::stable_sort(test.presences.begin(), test.presences.end(),
                             [](const auto& a, const auto& b) { return a.at < b.at; });
        }
    }
    if (!reader.valid() || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return test;
}

}  // namespace


std::optional<TestFile> load_test_text(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics) {
    auto root = rules::load_yaml_text(text, path, diagnostics);
    if (!root) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(*root, path, "test file", kFileKeys, diagnostics);
    if (!root->IsMap()) {
        return std::nullopt;
    }
    TestFile file;
    file.path = path;
    const auto version = reader.optional_int("version");
    if (!version) {
        if (!reader.has("version")) {
            diagnostics.error(
                "ruletest.missing-version",
                fmt::format("a test file starts with 'version: {}'", kTestFileVersion),
                SourceSpan{path, 1, 1, 1});
        }
    } else if (*version != kTestFileVersion) {
        diagnostics.error("ruletest.unsupported-version",
                          fmt::format("test file version {} is not supported; this Passerelle "
                                      "reads version {}",
                                      *version, kTestFileVersion),
                          span_of(reader.get("version"), path));
    }
    if (const auto config = reader.required_string("config")) {
        const std::filesystem::path config_path(*config);
        file.config = config_path.is_absolute()
                          ? config_path.string()
                          : (std::filesystem::path(path).parent_path() / config_path)
                                .lexically_normal()
                                .string();
    }
    if (const auto zone = reader.optional_string("time_zone")) {
        file.time_zone = TestFile::Zone{*zone, span_of(reader.get("time_zone"), path)};
    }
    if (const auto tests = sequence(reader, "tests", "a test file")) {
        if (tests->size() == 0) {
            diagnostics.error("ruletest.no-tests", "'tests' needs at least one test",
                              span_of(*tests, path));
        }
        for (const auto& node : *tests) {
            if (auto test = read_test(node, path, diagnostics)) {
                file.tests.push_back(std::move(*test));
            }
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return file;
}

std::optional<TestFile> load_test_file(const std::string& path, Diagnostics& diagnostics) {
    const auto text = rules::read_text_file(path, diagnostics);
    if (!text) {
        return std::nullopt;
    }
    return load_test_text(*text, path, diagnostics);
}

}  // namespace passerelle::ruletest
