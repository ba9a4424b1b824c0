// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/rule_compiler.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"
#include "rules/actions/group_placeholders.h"
#include "rules/actions/notification.h"
#include "rules/compiler/agreement_check.h"
#include "rules/compiler/rule_symbols.h"
#include "rules/compiler/signal_action.h"
#include "rules/config/rule_loader.h"
#include "rules/config/yaml_source.h"
#include "rules/expr/compiler.h"

namespace passerelle::rules {
namespace {

constexpr std::size_t kMaxActionsPerRule = 64;  // the engine keeps one bit per action

const std::vector<PlaceholderSpec> kKeyPlaceholders{{"entity", ValueKind::Text},
                                                    {"provider", ValueKind::Text},
                                                    {"quantity", ValueKind::Text},
                                                    {"building", ValueKind::Text}};

bool names_entity(const Template& key) {
    const auto names = key.placeholders();
    return std::find(names.begin(), names.end(), "entity") != names.end();
}

std::vector<std::string> entity_types(const Territory& territory) {
    std::set<std::string> types;
    for (const Entity& entity : territory.entities.all()) {
        types.insert(entity.type);
    }
    return {types.begin(), types.end()};
}

class RuleCompiler {
public:
    RuleCompiler(const Territory& territory, Diagnostics& diagnostics, CompileOptions options)
        : territory_(territory),
          diagnostics_(diagnostics),
          symbols_(territory, options.without_territory),
          options_(options),
          recipient_names_(names_with(relation_placeholders(territory, true))),
          message_names_(names_with(relation_placeholders(territory, false))) {}

    std::optional<CompiledRule> compile(const RuleSpec& spec, const std::string& file);
    SlotLayout layout() const { return symbols_.layout(); }

private:
    std::optional<expr::Program> condition(const Located<std::string>& text, const std::string& file);
    /// An expression of any type (a published signal's value).
    std::optional<expr::Program> value(const Located<std::string>& text, const std::string& file);
    std::optional<expr::Program> expression(const Located<std::string>& text,
                                            const std::string& file, bool is_condition);
    std::vector<CompiledSignal> compile_signals(const RuleSpec& spec,
                                                const std::vector<PlaceholderSpec>& names,
                                                const std::string& file);
    std::optional<Template> parse_template(const Located<std::string>& text,
                                           const std::vector<PlaceholderSpec>& names,
                                           const std::string& file);
    /// The plan of a rule using group functions, after checking its `group:` settings.
    std::optional<GroupPlan> group_plan(const RuleSpec& spec, const RuleUses& uses);

    const Territory& territory_;
    Diagnostics& diagnostics_;
    static std::vector<PlaceholderSpec> names_with(std::vector<PlaceholderSpec> relations) {
        std::vector<PlaceholderSpec> names = notification_placeholders();
        names.insert(names.end(), relations.begin(), relations.end());
        return names;
    }

    RuleSymbols symbols_;
    CompileOptions options_;
    // `served.<field>` names several entities: it can choose recipients, not fill a message.
    std::vector<PlaceholderSpec> recipient_names_;
    std::vector<PlaceholderSpec> message_names_;
};

std::optional<expr::Program> RuleCompiler::condition(const Located<std::string>& text,
                                                     const std::string& file) {
    return expression(text, file, true);
}

std::optional<expr::Program> RuleCompiler::value(const Located<std::string>& text,
                                                 const std::string& file) {
    return expression(text, file, false);
}

std::optional<expr::Program> RuleCompiler::expression(const Located<std::string>& text,
                                                      const std::string& file, bool is_condition) {
    auto program = is_condition ? expr::compile_condition(text.value, symbols_)
                                : expr::compile(text.value, symbols_);
    if (program) {
        return std::move(*program);
    }
    for (const auto& error : program.errors()) {
        diagnostics_.error(error.code, error.message,
                           span_in_scalar(text.node, file, error.offset, std::max<std::size_t>(error.length, 1)));
    }
    return std::nullopt;
}

std::optional<Template> RuleCompiler::parse_template(const Located<std::string>& text,
                                                     const std::vector<PlaceholderSpec>& names,
                                                     const std::string& file) {
    auto parsed = Template::parse(text.value, names);
    if (auto* error = std::get_if<TemplateError>(&parsed)) {
        const SourceSpan span = text.node ? span_in_scalar(text.node, file, error->offset, error->length)
                                          : text.span;
        diagnostics_.error("rules.bad-template", error->message, span);
        return std::nullopt;
    }
    return std::get<Template>(std::move(parsed));
}

std::vector<CompiledSignal> RuleCompiler::compile_signals(
    const RuleSpec& spec, const std::vector<PlaceholderSpec>& names, const std::string& file) {
    std::vector<CompiledSignal> signals;
    for (const auto& signal : spec.signals) {
        auto topic = parse_template(signal.topic, names, file);
        const bool valid_topic = check_signal_topic(
            signal.topic, options_.without_territory ? nullptr : &territory_, diagnostics_);
        const std::string pattern = signal_topic_pattern(signal.topic.value);
        if (valid_topic && (topic_matches(spec.listen.value, pattern) ||
                            topic_matches(pattern, spec.listen.value))) {
            diagnostics_.error("rules.signal-loop",
                               fmt::format("this rule listens to '{}', which includes the signal "
                                           "it publishes: it would feed itself",
                                           spec.listen.value),
                               signal.topic.span);
        }
        CompiledSignal compiled{topic ? std::move(*topic) : Template{}, std::nullopt, std::nullopt};
        if (valid_topic) {
            // signal/<owner>/<name>: the owner is written as such, checked above.
            const std::size_t owner_at = pattern.find('/') + 1;
            compiled.owner = pattern.substr(owner_at, pattern.find('/', owner_at) - owner_at);
        }
        if (signal.value) {
            compiled.value = value(*signal.value, file);
        }
        if (signal.resolved_value) {
            compiled.resolved_value = value(*signal.resolved_value, file);
        }
        signals.push_back(std::move(compiled));
    }
    return signals;
}

std::optional<CompiledRule> RuleCompiler::compile(const RuleSpec& spec, const std::string& file) {
    const std::size_t errors_before = diagnostics_.error_count();
    auto key = parse_template(spec.key, kKeyPlaceholders, file);
    symbols_.begin_rule(spec.listen.value, !key || !names_entity(*key));
    auto when = condition(spec.when, file);
    std::optional<expr::Program> clear;
    if (spec.clear) {
        clear = condition(*spec.clear, file);
    }
    std::shared_ptr<const EntitySet> entities;
    if (spec.entities) {
        if (!spec.listen.value.starts_with("telemetry/")) {
            diagnostics_.error("rules.selector-on-signals",
                               "'entities' selects entities' telemetry: 'listen' must be a "
                               "telemetry/ filter",
                               spec.entities->span);
        } else if (!options_.without_territory) {
            if (auto selected = resolve_selector(*spec.entities, territory_, diagnostics_)) {
                entities = std::make_shared<const EntitySet>(std::move(*selected));
            }
        }
    }
    // A group rule's messages may say how many members, and which, its conditions counted.
    std::vector<PlaceholderSpec> message_names = message_names_;
    if (const auto& used = symbols_.uses().groups; !used.empty()) {
        const auto& calls = symbols_.layout().group_calls;
        const bool counts = std::any_of(used.begin(), used.end(), [&](std::uint32_t i) {
            return reads_condition(calls[i].function);
        });
        const auto names = group_placeholders(counts);
        message_names.insert(message_names.end(), names.begin(), names.end());
    }
    if (spec.actions.size() > kMaxActionsPerRule) {
        diagnostics_.error("rules.too-many-actions",
                           fmt::format("a rule has at most {} actions", kMaxActionsPerRule),
                           spec.span);
    }
    std::vector<CompiledAction> actions;
    for (const auto& action : spec.actions) {
        auto recipient = parse_template(action.notify, recipient_names_, file);
        auto message = parse_template(action.message, message_names, file);
        if (!options_.without_territory && recipient && recipient->is_literal() &&
            territory_.find_stakeholder(action.notify.value) == nullptr) {
            diagnostics_.error(
                "rules.unknown-recipient",
                fmt::format("'{}' is not a declared stakeholder{}", action.notify.value,
                            did_you_mean(action.notify.value, territory_.stakeholder_ids())),
                action.notify.span);
        }
        std::optional<Template> resolved_message;
        if (action.resolved_message) {
            resolved_message = parse_template(*action.resolved_message, message_names, file);
        }
        std::optional<Template> flapping_message;
        if (action.flapping_message) {
            flapping_message = parse_template(*action.flapping_message, message_names, file);
        }
        std::optional<expr::Program> action_when;
        if (action.when) {
            action_when = condition(*action.when, file);
        }
        if (recipient && message) {
            actions.push_back({std::move(*recipient),
                               std::move(*message),
                               std::move(resolved_message),
                               std::move(action_when),
                               std::move(flapping_message),
                               {}});
        }
    }
    std::vector<CompiledSignal> signals = compile_signals(spec, message_names, file);
    RuleUses uses = symbols_.end_rule();
    auto group = group_plan(spec, uses);
    // A member going stale changes the group with no reading: the clock must notice it.
    const bool clock_driven =
        uses.calendar || !uses.windows.empty() || (group && group->stale_after.count() > 0);
    if (!when || !key || diagnostics_.error_count() != errors_before) {
        return std::nullopt;
    }
    std::vector<std::string> attributes;
    // A published signal carries what the rule's conditions read and its own values.
    for (auto& signal : signals) {
        std::vector<const expr::Program*> conditions{&*when};
        for (const auto* program :
             {clear ? &*clear : nullptr, signal.value ? &*signal.value : nullptr,
              signal.resolved_value ? &*signal.resolved_value : nullptr}) {
            if (program != nullptr) {
                conditions.push_back(program);
            }
        }
        if (group) {
            for (const auto& term : group->terms) {
                conditions.push_back(term.get());
            }
        }
        signal.carries = data_uses(conditions, {}, symbols_.layout());
    }
    for (auto& action : actions) {
        std::vector<const expr::Program*> conditions{&*when};
        for (const auto* program :
             {clear ? &*clear : nullptr, action.when ? &*action.when : nullptr}) {
            if (program != nullptr) {
                conditions.push_back(program);
            }
        }
        if (group) {
            for (const auto& term : group->terms) {
                conditions.push_back(term.get());
            }
        }
        std::vector<const Template*> templates{&action.message};
        for (const auto& text : {&action.resolved_message, &action.flapping_message}) {
            if (*text) {
                templates.push_back(&**text);
            }
        }
        action.carries = data_uses(conditions, templates, symbols_.layout());
        for (auto& name : attributes_read(action.carries)) {
            if (std::find(attributes.begin(), attributes.end(), name) == attributes.end()) {
                attributes.push_back(std::move(name));
            }
        }
    }
    const bool key_is_entity =
        key->parts().size() == 1 && key->placeholders() == std::vector<std::string>{"entity"};
    std::string fingerprint = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f", spec.listen.value,
                                          when->canonical(), clear ? clear->canonical() : "",
                                          spec.for_duration.count(), spec.clear_for.count());
    for (const auto& part : key->parts()) {
        fingerprint += (part.is_placeholder ? "{{" + part.text + "}}" : part.text);
    }
    if (spec.entities) {
        // Another selection is another set of keys: their alerts are not carried over.
        for (const auto* field : {&spec.entities->type, &spec.entities->provider,
                                  &spec.entities->building, &spec.entities->served_by,
                                  &spec.entities->tags}) {
            fingerprint += '\x1f';
            for (const auto& value : *field) {
                fingerprint += value.value + ",";
            }
        }
    }
    if (group) {
        fingerprint += fmt::format("\x1f{}\x1f{}", group->member_type, group->stale_after.count());
    }
    return CompiledRule{
        .id = spec.id.value,
        .description = spec.description,
        .file = file,
        .listen = spec.listen.value,
        .listens_to_signals = spec.listen.value.starts_with("signal/"),
        .entities = std::move(entities),
        .when = std::move(*when),
        .clear = std::move(clear),
        .when_text = spec.when.value,
        .clear_text = spec.clear ? spec.clear->value : std::string(),
        .for_duration = spec.for_duration,
        .clear_for = spec.clear_for,
        .repeat = spec.repeat,
        .flapping = spec.flapping,
        .key = std::move(*key),
        .key_is_entity = key_is_entity,
        .fingerprint = std::move(fingerprint),
        .severity = spec.severity,
        .labels = spec.labels,
        .actions = std::move(actions),
        .signals = std::move(signals),
        .attributes_read = std::move(attributes),
        .windows = std::move(uses.windows),
        .joins = std::move(uses.joins),
        .uses_calendar = uses.calendar,
        .group = std::move(group),
        .clock_driven = clock_driven,
    };
}

std::optional<GroupPlan> RuleCompiler::group_plan(const RuleSpec& spec, const RuleUses& uses) {
    if (uses.groups.empty()) {
        if (spec.group) {
            diagnostics_.error("rules.group-unused",
                               "'group' is for rules whose conditions use group functions "
                               "(group_count, group_share…); this one uses none",
                               spec.group->span);
        }
        return std::nullopt;
    }
    GroupPlan plan;
    plan.add_calls(symbols_.layout().group_calls, uses.groups);
    if (!spec.group) {
        return plan;
    }
    plan.stale_after = spec.group->stale_after;
    if (const auto& members = spec.group->members) {
        const auto types = entity_types(territory_);
        if (!options_.without_territory &&
            std::find(types.begin(), types.end(), members->value) == types.end()) {
            diagnostics_.error("rules.unknown-type",
                               fmt::format("no entity of the registry has type '{}'{}",
                                           members->value, did_you_mean(members->value, types)),
                               members->span);
        }
        plan.member_type = members->value;
    }
    return plan;
}

// The filter of the series a window reads for a rule: its fixed topic, or the rule's filter with
// the quantity level replaced. Empty for age() of the rule's own readings, which needs no series.
std::string series_filter(const WindowSpec& window, const std::string& listen) {
    std::string scratch;
    return window.reads_own_key() ? std::string()
                                  : std::string(series_topic(window, listen, scratch));
}

// Which topics' history to keep, and for how long: the longest window reading each filter.
void index_series(RuleSet& rule_set) {
    std::map<std::string, Duration> retention;
    for (const auto& rule : rule_set.rules) {
        for (const std::uint32_t w : rule.windows) {
            const WindowSpec& window = rule_set.layout.windows[w];
            std::string filter = series_filter(window, rule.listen);
            if (filter.empty()) {
                continue;
            }
            Duration& longest = retention[std::move(filter)];
            longest = std::max(longest, window.span);
        }
    }
    for (const auto& [filter, span] : retention) {
        rule_set.series_index.insert(filter,
                                     static_cast<std::uint32_t>(rule_set.series_retention.size()));
        rule_set.series_retention.push_back(span);
    }
}

// The filters to subscribe to: every rule's `listen` and every joined topic, once each.
// Overlapping subscriptions make the broker deliver a message once per matching filter, and the
// rules would see it twice: a filter covered by another one is left out. After the exact
// duplicates are gone, only a filter with a wildcard can cover another, so each filter is compared
// with those few rather than with all (10 000 rules would otherwise cost 10^8 comparisons).
std::vector<std::string> subscription_filters(const RuleSet& rule_set) {
    std::vector<std::string> filters;
    std::set<std::string> seen;
    const auto add = [&](const std::string& filter) {
        if (seen.insert(filter).second) {
            filters.push_back(filter);
        }
    };
    for (const auto& rule : rule_set.rules) {
        add(rule.listen);
    }
    for (const auto& topic : rule_set.layout.join_topics) {
        add(topic);
    }
    for (const auto& rule : rule_set.rules) {
        for (const std::uint32_t w : rule.windows) {
            if (auto filter = series_filter(rule_set.layout.windows[w], rule.listen); !filter.empty()) {
                add(filter);
            }
        }
    }
    std::vector<std::size_t> wildcards;
    for (std::size_t i = 0; i < filters.size(); ++i) {
        if (filters[i].find_first_of("+#") != std::string::npos) {
            wildcards.push_back(i);
        }
    }
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < filters.size(); ++i) {
        const bool covered = std::any_of(wildcards.begin(), wildcards.end(), [&](std::size_t j) {
            // Of two filters covering each other (impossible once deduplicated, but cheap to
            // keep right), the first one stays.
            return j != i && filter_covers(filters[j], filters[i]) &&
                   (!filter_covers(filters[i], filters[j]) || j < i);
        });
        if (!covered) {
            kept.push_back(filters[i]);
        }
    }
    return kept;
}

// Whether a condition reads the reading's entity in the registry: entity.type, entity.building,
// entity.<attribute>. The engine looks the entity up only for rules that do.
bool reads_registry(const expr::Program& condition, const SlotLayout& layout) {
    const auto slots = condition.slots();
    return std::any_of(slots.begin(), slots.end(), [&](const expr::SlotRef& ref) {
        const std::uint32_t slot = ref.slot.index;
        return slot == static_cast<std::uint32_t>(BuiltinSlot::EntityType) ||
               slot == static_cast<std::uint32_t>(BuiltinSlot::Building) ||
               (slot >= kBuiltinSlotCount &&
                slot - kBuiltinSlotCount < layout.attribute_names.size());
    });
}

RuleCore core_of(const CompiledRule& rule, const SlotLayout& layout, ConditionPack& conditions) {
    RuleCore core;
    core.when = conditions.add(rule.when);
    core.has_clear = rule.clear.has_value();
    if (rule.clear) {
        core.clear = conditions.add(*rule.clear);
    }
    core.for_duration = rule.for_duration;
    core.clear_for = rule.clear_for;
    core.repeat = rule.repeat;
    core.key_is_entity = rule.key_is_entity;
    core.clock_driven = rule.clock_driven;
    core.tracks_keys = rule.tracks_keys();
    core.selects_entities = rule.entities != nullptr;
    core.has_group = rule.group.has_value();
    // A group's members are evaluated on their own registry values (group_count(entity.x)).
    core.reads_registry =
        rule.group.has_value() || reads_registry(rule.when, layout) ||
        (rule.clear && reads_registry(*rule.clear, layout)) ||
        std::any_of(rule.actions.begin(), rule.actions.end(), [&](const CompiledAction& action) {
            return action.when && reads_registry(*action.when, layout);
        });
    return core;
}

}  // namespace

std::shared_ptr<const RuleSet> compile_rules(const std::vector<RulesFile>& files,
                                             const Territory& territory, Diagnostics& diagnostics,
                                             const CompileOptions& options) {
    const std::size_t errors_before = diagnostics.error_count();
    RuleCompiler compiler(territory, diagnostics, options);
    const Timestamp now = options.now.value_or(
        std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()));
    auto rule_set = std::make_shared<RuleSet>();
    std::map<std::string, SourceSpan> ids;
    for (const auto& file : files) {
        for (const auto& spec : file.rules) {
            const auto [it, inserted] = ids.emplace(spec.id.value, spec.id.span);
            if (!inserted) {
                diagnostics.error("rules.duplicate-id",
                                  fmt::format("rule id '{}' is already used at {}:{}", spec.id.value,
                                              it->second.file, it->second.line),
                                  spec.id.span);
                continue;
            }
            if (auto rule = compiler.compile(spec, file.path)) {
                if (!options.without_territory) {
                    check_agreements(*rule, spec, territory, now,
                                     options.expired_agreements_are_errors, diagnostics);
                }
                rule_set->rules.push_back(std::move(*rule));
            }
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return nullptr;
    }
    rule_set->layout = compiler.layout();
    rule_set->cores.reserve(rule_set->rules.size());
    for (const auto& rule : rule_set->rules) {
        rule_set->cores.push_back(core_of(rule, rule_set->layout, rule_set->conditions));
    }
    rule_set->subscription_filters = subscription_filters(*rule_set);
    index_series(*rule_set);
    rule_set->join_rules.resize(rule_set->layout.join_topics.size());
    for (std::size_t i = 0; i < rule_set->rules.size(); ++i) {
        for (const std::uint32_t join : rule_set->rules[i].joins) {
            rule_set->join_rules[join].push_back(static_cast<std::uint32_t>(i));
        }
    }
    // Indexed once here, so that the engine never scans every rule for each reading.
    for (std::size_t i = 0; i < rule_set->rules.size(); ++i) {
        rule_set->listen_index.insert(rule_set->rules[i].listen, static_cast<std::uint32_t>(i));
    }
    const auto& joins = rule_set->layout.join_topics;
    for (std::size_t i = 0; i < joins.size(); ++i) {
        rule_set->join_index.emplace(joins[i], static_cast<std::uint32_t>(i));
    }
    return rule_set;
}

std::shared_ptr<const RuleSet> load_and_compile_rules(const std::vector<std::string>& paths,
                                                      const Territory& territory,
                                                      Diagnostics& diagnostics,
                                                      const CompileOptions& options) {
    std::vector<RulesFile> files;
    for (const auto& path : paths) {
        if (auto file = load_rules_file(path, diagnostics)) {
            files.push_back(std::move(*file));
        }
    }
    if (diagnostics.has_errors()) {
        return nullptr;
    }
    return compile_rules(files, territory, diagnostics, options);
}

}  // namespace passerelle::rules
