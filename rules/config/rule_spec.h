// SPDX-License-Identifier: Apache-2.0
// Rules as written in a rules file, each value with its place in the file, before compilation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"

namespace passerelle::rules {

/// A value read from YAML, with the node it came from (for positions inside expressions).
template <typename T>
struct Located {
    T value{};
    SourceSpan span;
    YAML::Node node;
};

enum class AlertSeverity { Info, Warning, Critical };

/// `flapping:` — this many transitions (fired or resolved) of one key within `within` make it flap.
struct FlapPolicy {
    std::uint32_t transitions = 0;  // 0: no flap detection
    Duration within{0};
    bool enabled() const { return transitions > 0; }
    bool operator==(const FlapPolicy&) const = default;
};

/// `entities:` — the entities whose readings a rule takes. Each field is one value or a list: an
/// entity matches a field when it has one of the values (all of them for `tags`), and the
/// selector when it matches every field given.
struct EntitySelectorSpec {
    std::vector<Located<std::string>> type;
    std::vector<Located<std::string>> provider;
    std::vector<Located<std::string>> building;
    std::vector<Located<std::string>> served_by;
    std::vector<Located<std::string>> tags;
    SourceSpan span;
};

/// `group:` — for a rule using group functions, who the members of each group are and when a
/// member's latest reading is too old to count.
struct GroupSpec {
    std::optional<Located<std::string>> members;  // an entity type of the registry
    Duration stale_after{0};                      // 0: a member's reading never goes stale
    SourceSpan span;
};

/// `- publish: signal/ville/surchauffe` among the actions: a derived signal other rules (and
/// parties) can read, set at each transition of the alert.
struct SignalActionSpec {
    Located<std::string> topic;                          // template: signal/<stakeholder>/<name>
    std::optional<Located<std::string>> value;           // expression when firing; default 1
    std::optional<Located<std::string>> resolved_value;  // expression when resolved; default 0
    SourceSpan span;
};

struct ActionSpec {
    Located<std::string> notify;   // recipient: a stakeholder id or a template ("{{provider}}")
    Located<std::string> message;  // template
    std::optional<Located<std::string>> resolved_message;  // for resolved notices; else `message`
    std::optional<Located<std::string>> flapping_message;  // for the flapping notice
    std::optional<Located<std::string>> when;  // only notify when this also holds
    SourceSpan span;
};

struct RuleSpec {
    Located<std::string> id;
    std::string description;
    Located<std::string> listen;  // MQTT topic filter over canonical topics
    std::optional<EntitySelectorSpec> entities;  // narrows `listen` to some entities
    Located<std::string> when;    // condition expression
    std::optional<Located<std::string>> clear;
    Duration for_duration{0};
    Duration clear_for{0};  // how long the clear condition must hold before the alert resolves
    Duration repeat{0};     // while firing, the firing notice again at this interval (0: never)
    FlapPolicy flapping;
    std::optional<GroupSpec> group;
    Located<std::string> key;  // template; "{{entity}}" when not given
    AlertSeverity severity = AlertSeverity::Warning;
    std::map<std::string, std::string> labels;
    std::vector<ActionSpec> actions;
    std::vector<SignalActionSpec> signals;  // the `publish` actions
    SourceSpan span;
};

struct RulesFile {
    std::string path;
    int version = 1;
    std::vector<RuleSpec> rules;
};

const char* to_string(AlertSeverity severity);

}  // namespace passerelle::rules
