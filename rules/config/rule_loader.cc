// SPDX-License-Identifier: Apache-2.0
#include "rules/config/rule_loader.h"

#include <set>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::rules {
namespace {

const std::vector<std::string> kFileKeys{"version", "rules"};
const std::vector<std::string> kRuleKeys{
    "id",        "description", "listen",   "entities", "when",  "for",      "clear",
    "clear_for", "repeat",      "flapping", "group",    "key",   "severity", "labels",
    "actions"};
const std::vector<std::string> kSelectorKeys{"type", "provider", "building", "served_by", "tags"};
const std::vector<std::string> kActionKeys{"notify", "message", "resolved_message",
                                           "flapping_message", "when"};
const std::vector<std::string> kFlappingKeys{"transitions", "within"};
const std::vector<std::string> kSignalActionKeys{"publish", "value", "resolved_value"};
const std::vector<std::string> kGroupKeys{"members", "stale_after"};
const std::vector<std::string> kSeverities{"info", "warning", "critical"};

std::optional<Located<std::string>> located_string(MappingReader& reader, const std::string& key,
                                                   bool required) {
    const auto text = required ? reader.required_string(key) : reader.optional_string(key);
    if (!text) {
        return std::nullopt;
    }
    const YAML::Node node = reader.get(key);
    return Located<std::string>{*text, span_of(node, reader.file()), node};
}

std::optional<ActionSpec> read_action(const YAML::Node& node, const std::string& file,
                                      Diagnostics& diagnostics) {
    MappingReader reader(node, file, "action", kActionKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    auto notify = located_string(reader, "notify", true);
    auto message = located_string(reader, "message", true);
    if (!notify || !message) {
        return std::nullopt;
    }
    return ActionSpec{std::move(*notify), std::move(*message),
                      located_string(reader, "resolved_message", false),
                      located_string(reader, "flapping_message", false),
                      located_string(reader, "when", false),
                      reader.span()};
}

std::optional<SignalActionSpec> read_signal_action(const YAML::Node& node, const std::string& file,
                                                  Diagnostics& diagnostics) {
    MappingReader reader(node, file, "publish action", kSignalActionKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    auto topic = located_string(reader, "publish", true);
    if (!topic) {
        return std::nullopt;
    }
    return SignalActionSpec{std::move(*topic), located_string(reader, "value", false),
                            located_string(reader, "resolved_value", false), reader.span()};
}

// `flapping: {transitions: 6, within: 1h}`: bounded so that a key's memory of them stays small.
void read_flapping(MappingReader& rule_reader, RuleSpec& rule) {
    const YAML::Node node = rule_reader.get("flapping");
    if (!node) {
        return;
    }
    MappingReader reader(node, rule_reader.file(), "flapping", kFlappingKeys,
                         rule_reader.diagnostics());
    if (!reader.valid()) {
        return;
    }
    constexpr int kMinTransitions = 2;
    constexpr int kMaxTransitions = 100;
    const auto transitions = reader.optional_int("transitions");
    const auto within = reader.optional_duration("within");
    if (!transitions || !within) {
        reader.diagnostics().error("rules.bad-flapping",
                                   "'flapping' needs 'transitions' and 'within', e.g. "
                                   "{transitions: 6, within: 1h}",
                                   reader.span());
        return;
    }
    if (*transitions < kMinTransitions || *transitions > kMaxTransitions) {
        reader.diagnostics().error("rules.bad-flapping",
                                   fmt::format("'transitions' is between {} and {}, not {}",
                                               kMinTransitions, kMaxTransitions, *transitions),
                                   span_of(reader.get("transitions"), reader.file()));
        return;
    }
    if (*within < std::chrono::minutes(1)) {
        reader.diagnostics().error("rules.bad-flapping", "'within' is at least 1min",
                                   span_of(reader.get("within"), reader.file()));
        return;
    }
    rule.flapping = FlapPolicy{static_cast<std::uint32_t>(*transitions), *within};
}

// One value or a list of values, each with its position.
std::vector<Located<std::string>> one_or_many(MappingReader& reader, const std::string& key) {
    std::vector<Located<std::string>> values;
    const YAML::Node node = reader.get(key);
    if (!node) {
        return values;
    }
    const auto add = [&](const YAML::Node& item) {
        if (!item.IsScalar() || item.Scalar().empty()) {
            reader.diagnostics().error(
                "rules.bad-selector",
                fmt::format("'{}' takes a value or a list of values", key),
                span_of(item, reader.file()));
            return;
        }
        values.push_back({item.Scalar(), span_of(item, reader.file()), item});
    };
    if (node.IsSequence()) {
        for (const auto& item : node) {
            add(item);
        }
        if (node.size() == 0) {
            reader.diagnostics().error("rules.bad-selector",
                                       fmt::format("'{}' lists no value", key),
                                       span_of(node, reader.file()));
        }
    } else {
        add(node);
    }
    return values;
}

// `entities: {type: dwelling, provider: [habitat-sud, logis-nord], tags: [rdc]}`
void read_rule_entities(MappingReader& rule_reader, RuleSpec& rule) {
    if (const YAML::Node node = rule_reader.get("entities")) {
        rule.entities = read_entity_selector(node, rule_reader.file(), rule_reader.diagnostics());
    }
}

// `group: {members: dwelling, stale_after: 2h}`; the compiler checks the type against the registry.
void read_group(MappingReader& rule_reader, RuleSpec& rule) {
    const YAML::Node node = rule_reader.get("group");
    if (!node) {
        return;
    }
    MappingReader reader(node, rule_reader.file(), "group", kGroupKeys, rule_reader.diagnostics());
    if (!reader.valid()) {
        return;
    }
    GroupSpec group;
    group.span = reader.span();
    group.members = located_string(reader, "members", false);
    if (const auto stale_after = reader.optional_duration("stale_after")) {
        if (*stale_after < std::chrono::minutes(1)) {
            reader.diagnostics().error("rules.bad-group", "'stale_after' is at least 1min",
                                       span_of(reader.get("stale_after"), reader.file()));
            return;
        }
        group.stale_after = *stale_after;
    }
    rule.group = std::move(group);
}

void read_labels(MappingReader& reader, RuleSpec& rule) {
    const YAML::Node labels = reader.get("labels");
    if (!labels) {
        return;
    }
    if (!labels.IsMap()) {
        reader.diagnostics().error("rules.bad-labels", "'labels' must map names to values",
                                   span_of(labels, reader.file()));
        return;
    }
    for (const auto& entry : labels) {
        if (!entry.second.IsScalar()) {
            reader.diagnostics().error("rules.bad-labels", "a label's value must be a single value",
                                       span_of(entry.second, reader.file()));
            continue;
        }
        rule.labels[entry.first.Scalar()] = entry.second.Scalar();
    }
}

std::optional<RuleSpec> read_rule(const YAML::Node& node, const std::string& file,
                                  Diagnostics& diagnostics) {
    MappingReader reader(node, file, "rule", kRuleKeys, diagnostics);
    if (!reader.valid() && !node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    RuleSpec rule;
    rule.span = reader.span();
    auto id = located_string(reader, "id", true);
    if (id && !is_identifier(id->value)) {
        diagnostics.error("rules.bad-id",
                          fmt::format("rule id '{}' may only hold letters, digits, '-', '_' and '.', "
                                      "since it becomes an MQTT topic level",
                                      id->value),
                          id->span);
    }
    auto listen = located_string(reader, "listen", true);
    if (listen) {
        const auto first_level = split_topic(listen->value).front();
        if (auto valid = validate_topic_filter(listen->value); !valid) {
            diagnostics.error("rules.bad-topic-filter", valid.error().message, listen->span);
        } else if (first_level != "telemetry" && first_level != "signal") {
            // Anything else would include the gateway's own notifications and dead letters.
            diagnostics.error("rules.not-canonical",
                              fmt::format("'listen' takes a filter over canonical topics, starting "
                                          "with telemetry/ or signal/, not '{}'",
                                          listen->value),
                              listen->span);
        }
    }
    auto when = located_string(reader, "when", true);
    rule.clear = located_string(reader, "clear", false);
    rule.description = reader.optional_string("description").value_or("");
    rule.for_duration = reader.optional_duration("for").value_or(Duration(0));
    rule.clear_for = reader.optional_duration("clear_for").value_or(Duration(0));
    rule.repeat = reader.optional_duration("repeat").value_or(Duration(0));
    if (rule.repeat.count() > 0 && rule.repeat < std::chrono::minutes(1)) {
        reader.diagnostics().error("rules.bad-repeat",
                                   "'repeat' is at least 1min: a firing notice every few seconds "
                                   "would flood its recipients",
                                   span_of(reader.get("repeat"), reader.file()));
    }
    read_flapping(reader, rule);
    read_rule_entities(reader, rule);
    read_group(reader, rule);
    if (auto key = located_string(reader, "key", false)) {
        rule.key = std::move(*key);
    } else {
        rule.key = Located<std::string>{"{{entity}}", rule.span, YAML::Node()};
    }
    if (auto severity = located_string(reader, "severity", false)) {
        if (severity->value == "info") {
            rule.severity = AlertSeverity::Info;
        } else if (severity->value == "critical") {
            rule.severity = AlertSeverity::Critical;
        } else if (severity->value != "warning") {
            diagnostics.error("rules.bad-severity",
                              fmt::format("severity '{}' is not one of info, warning, critical{}",
                                          severity->value, did_you_mean(severity->value, kSeverities)),
                              severity->span);
        }
    }
    read_labels(reader, rule);
    const YAML::Node actions = reader.get("actions");
    if (!actions) {
        diagnostics.error("yaml.missing-key", "a rule needs 'actions'", rule.span);
    } else if (!actions.IsSequence() || actions.size() == 0) {
        diagnostics.error("rules.bad-actions", "'actions' must be a list of at least one action",
                          span_of(actions, file));
    } else {
        for (const auto& action_node : actions) {
            if (action_node.IsMap() && action_node["publish"]) {
                if (auto signal = read_signal_action(action_node, file, diagnostics)) {
                    rule.signals.push_back(std::move(*signal));
                }
            } else if (auto action = read_action(action_node, file, diagnostics)) {
                rule.actions.push_back(std::move(*action));
            }
        }
    }
    if (!id || !listen || !when || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    rule.id = std::move(*id);
    rule.listen = std::move(*listen);
    rule.when = std::move(*when);
    return rule;
}

}  // namespace

const char* to_string(AlertSeverity severity) {
    switch (severity) {
        case AlertSeverity::Info:
            return "info";
        case AlertSeverity::Critical:
            return "critical";
        case AlertSeverity::Warning:
            break;
    }
    return "warning";
}

std::optional<RulesFile> load_rules_text(std::string_view text, const std::string& path,
                                         Diagnostics& diagnostics) {
    auto root = load_yaml_text(text, path, diagnostics);
    if (!root) {
        return std::nullopt;
    }
    MappingReader reader(*root, path, "rules file", kFileKeys, diagnostics);
    if (!root->IsMap()) {
        return std::nullopt;
    }
    RulesFile file;
    file.path = path;
    const auto version = reader.optional_int("version");
    if (!version) {
        if (!reader.has("version")) {
            diagnostics.error("rules.missing-version",
                              fmt::format("a rules file starts with 'version: {}'", kRulesFileVersion),
                              SourceSpan{path, 1, 1, 1});
        }
    } else if (*version != kRulesFileVersion) {
        diagnostics.error("rules.unsupported-version",
                          fmt::format("rules file version {} is not supported; this Passerelle "
                                      "reads version {}",
                                      *version, kRulesFileVersion),
                          span_of(reader.get("version"), path));
    }
    const YAML::Node rules = reader.get("rules");
    if (!rules || !rules.IsSequence()) {
        diagnostics.error("rules.no-rules", "'rules' must be a list of rules",
                          rules ? span_of(rules, path) : SourceSpan{path, 1, 1, 1});
        return std::nullopt;
    }
    std::set<std::string> ids;
    for (const auto& node : rules) {
        if (auto rule = read_rule(node, path, diagnostics)) {
            if (!ids.insert(rule->id.value).second) {
                diagnostics.error("rules.duplicate-id",
                                  fmt::format("rule id '{}' is used twice in this file", rule->id.value),
                                  rule->id.span);
                continue;
            }
            file.rules.push_back(std::move(*rule));
        }
    }
    return file;
}

std::optional<RulesFile> load_rules_file(const std::string& path, Diagnostics& diagnostics) {
    const auto text = read_text_file(path, diagnostics);
    if (!text) {
        return std::nullopt;
    }
    return load_rules_text(*text, path, diagnostics);
}

std::optional<EntitySelectorSpec> read_entity_selector(const YAML::Node& node,
                                                       const std::string& file,
                                                       Diagnostics& diagnostics) {
    MappingReader reader(node, file, "entity selector", kSelectorKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    EntitySelectorSpec selector;
    selector.span = reader.span();
    selector.type = one_or_many(reader, "type");
    selector.provider = one_or_many(reader, "provider");
    selector.building = one_or_many(reader, "building");
    selector.served_by = one_or_many(reader, "served_by");
    selector.tags = one_or_many(reader, "tags");
    if (node.size() == 0) {
        diagnostics.error("rules.bad-selector",
                          "'entities' needs at least one of type, provider, building, served_by, "
                          "tags",
                          selector.span);
        return std::nullopt;
    }
    return selector;
}

}  // namespace passerelle::rules
