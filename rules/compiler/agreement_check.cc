// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/agreement_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "rules/actions/notification.h"

namespace passerelle::rules {
namespace {

// A topic filter's level, "+" past its end or under a '#'.
std::string level(const std::vector<std::string>& levels, std::size_t i) {
    if (i >= levels.size() || levels[std::min(i, levels.size() - 1)] == "#") {
        return "+";
    }
    for (std::size_t j = 0; j < i; ++j) {
        if (levels[j] == "#") {
            return "+";
        }
    }
    return levels[i];
}

std::vector<std::string> split(const std::string& filter) {
    std::vector<std::string> levels;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = filter.find('/', start);
        levels.push_back(filter.substr(start, slash - start));
        if (slash == std::string::npos) {
            return levels;
        }
        start = slash + 1;
    }
}

// The readings a rule can take, one per entity of the registry, as far as its filter, entity
// selector and group say; the quantity is "*" when the filter leaves it open.
std::vector<Reading> candidate_readings(const CompiledRule& rule, const Territory& territory) {
    const auto levels = split(rule.listen);
    std::vector<Reading> readings;
    if (rule.listens_to_signals) {
        const std::string provider = level(levels, 1);
        const std::string name = level(levels, 2);
        for (const auto& stakeholder : territory.stakeholders) {
            if (provider == "+" || provider == stakeholder.id) {
                Reading reading;
                reading.provider = stakeholder.id;
                reading.entity = reading.quantity = name == "+" ? "*" : name;
                readings.push_back(std::move(reading));
            }
        }
        return readings;
    }
    const std::string provider = level(levels, 1);
    const std::string entity = level(levels, 2);
    const std::string quantity = level(levels, 3) == "+" ? "*" : level(levels, 3);
    // A filter naming its entity takes that one: no need to go through the whole registry.
    std::vector<const Entity*> named;
    if (entity != "+") {
        if (const Entity* found = territory.entities.find(entity)) {
            named.push_back(found);
        }
    } else {
        for (const Entity& each : territory.entities.all()) {
            named.push_back(&each);
        }
    }
    for (const Entity* candidate : named) {
        const Entity& each = *candidate;
        if ((provider != "+" && each.provider != provider) ||
            (entity != "+" && each.id != entity) ||
            (rule.entities && !rule.entities->contains(each.id)) ||
            (rule.group && !rule.group->member_type.empty() &&
             each.type != rule.group->member_type)) {
            continue;
        }
        Reading reading;
        reading.provider = each.provider;
        reading.entity = each.id;
        reading.quantity = quantity;
        readings.push_back(std::move(reading));
    }
    if (readings.empty() && provider != "+" && entity != "+") {
        // An entity the registry does not know, named in the filter.
        Reading reading;
        reading.provider = provider;
        reading.entity = entity;
        reading.quantity = quantity;
        readings.push_back(std::move(reading));
    }
    return readings;
}

// Who the action names for this reading; empty when its recipient depends on more than the
// registry (a reading's value), which only the check of each notification can see.
std::optional<std::vector<std::string>> recipients_for(const CompiledAction& action,
                                                       const Reading& reading,
                                                       const Territory& territory) {
    const Entity* entity = territory.entities.find(reading.entity);
    const Entity* building =
        entity == nullptr ? nullptr : territory.entities.find(entity->building);
    std::vector<const Entity*> served{nullptr};
    const auto names = action.recipient.placeholders();
    if (std::any_of(names.begin(), names.end(),
                    [](const std::string& n) { return n.starts_with("served."); })) {
        served = territory.entities.served_by(reading.entity);
    }
    bool known = true;
    std::vector<std::string> out;
    for (const Entity* each : served) {
        std::string recipient = action.recipient.render([&](std::string_view name) -> Value {
            const auto field = [&](std::string_view prefix, const Entity* related) -> Value {
                return related == nullptr ? Value(std::string())
                                          : entity_field(*related, name.substr(prefix.size()))
                                                .value_or(std::string());
            };
            if (name.starts_with("building.")) {
                return field("building.", building);
            }
            if (name.starts_with("served.")) {
                return field("served.", each);
            }
            if (auto value = reading_field(reading, name);
                value && name != "value" && name != "unit") {
                return *value;
            }
            if (name == "building") {
                return entity == nullptr ? std::string() : entity->building;
            }
            known = false;
            return std::string();
        });
        if (territory.find_stakeholder(recipient) != nullptr &&
            std::find(out.begin(), out.end(), recipient) == out.end()) {
            out.push_back(std::move(recipient));
        }
    }
    if (!known) {
        return std::nullopt;
    }
    return out;
}

struct Finding {
    DataFlow first;  // the first entity found
    std::set<std::string> entities;
    const Agreement* agreement = nullptr;
};

// (action, verdict, provider, data, recipient, agreement): one message for many entities.
using FindingKey =
    std::tuple<std::size_t, FlowVerdict, std::string, std::string, std::string, std::string>;

std::string others(std::size_t entities) {
    if (entities <= 1) {
        return "";
    }
    return fmt::format(" (and {} other entit{})", entities - 1, entities == 2 ? "y" : "ies");
}

std::string where(const Agreement& agreement) {
    return fmt::format("agreement '{}' ({}:{})", agreement.id, agreement.span.file,
                       agreement.span.line);
}

// Index `action` counts the notify actions, then the publish actions.
void report(const FindingKey& key, const Finding& finding, const RuleSpec& spec,
            bool expired_is_error, Diagnostics& diagnostics) {
    const auto& [action, verdict, provider, data, recipient, agreement_id] = key;
    const bool publishes = action >= spec.actions.size();
    const SourceSpan& span = publishes ? spec.signals[action - spec.actions.size()].topic.span
                                       : spec.actions[action].notify.span;
    const char* const what = publishes ? "this publish action would put" : "this action would send";
    const char* const where_to = publishes ? " (as its signal)" : "";
    // A signal belongs to no entity: every reading of the rule carries the same one.
    const std::string flow = describe(finding.first) +
                             (finding.first.entity.empty() ? "" : others(finding.entities.size()));
    switch (verdict) {
        case FlowVerdict::Missing: {
            const std::string personal =
                finding.first.personal
                    ? fmt::format("; '{}' is personal data: the agreement must name it", data)
                    : "";
            diagnostics.error(
                "rules.no-agreement",
                fmt::format("{} {} to {}{}, and no agreement allows it{}; declare one under "
                            "'agreements:' (from: {}, to: {}, data: [{}], purpose: …)",
                            what, flow, recipient, where_to, personal, provider, recipient, data),
                span);
            break;
        }
        case FlowVerdict::Expired: {
            const std::string message = fmt::format(
                "{} {} to {}{}, but {}, which allowed it, ended on {}: {}", what, flow, recipient,
                where_to, where(*finding.agreement), finding.agreement->valid_until_text,
                expired_is_error ? "renew it (valid_until) or remove the action"
                                 : "the action is disabled for that recipient until it is renewed");
            if (expired_is_error) {
                diagnostics.error("rules.agreement-expired", message, span);
            } else {
                diagnostics.warning("rules.agreement-expired", message, span);
            }
            break;
        }
        case FlowVerdict::NotYetValid:
            diagnostics.warning(
                "rules.agreement-not-started",
                fmt::format("{}, which allows this action to send {} to {}, starts on {}: until "
                            "then the action sends nothing",
                            where(*finding.agreement), flow, recipient,
                            finding.agreement->valid_from_text),
                span);
            break;
        case FlowVerdict::Covered:
            diagnostics.warning(
                "rules.agreement-ending",
                fmt::format("{}, which allows this action to send {} to {}, ends on {}: from the "
                            "next day the action is disabled unless it is renewed",
                            where(*finding.agreement), flow, recipient,
                            finding.agreement->valid_until_text),
                span);
            break;
        case FlowVerdict::Own:
            break;
    }
}

// Every flow of `flows` to each of `recipients` that is not allowed at `now`, or whose
// agreement ends soon, goes into `findings` under the action's index.
void check_flows(std::size_t index, const std::vector<DataFlow>& flows,
                 const std::vector<std::string>& recipients, const Territory& territory,
                 Timestamp now, std::map<FindingKey, Finding>& findings) {
    for (const std::string& recipient : recipients) {
        for (const DataFlow& flow : flows) {
            const FlowCheck check = check_flow(territory.agreements, flow, recipient, now);
            const bool ending = check.verdict == FlowVerdict::Covered &&
                                check.agreement->valid_until &&
                                *check.agreement->valid_until - now < kAgreementEndWarning;
            if (check.verdict == FlowVerdict::Own ||
                (check.verdict == FlowVerdict::Covered && !ending)) {
                continue;
            }
            FindingKey key{index,     check.verdict, flow.provider,
                           flow.data, recipient,     check.agreement ? check.agreement->id : ""};
            Finding& finding = findings[key];
            if (finding.entities.empty()) {
                finding.first = flow;
                finding.agreement = check.agreement;
            }
            finding.entities.insert(flow.entity);
        }
    }
}

}  // namespace

void check_agreements(const CompiledRule& rule, const RuleSpec& spec, const Territory& territory,
                      Timestamp now, bool expired_is_error, Diagnostics& diagnostics) {
    std::map<FindingKey, Finding> findings;
    const auto readings = candidate_readings(rule, territory);
    for (std::size_t a = 0; a < rule.actions.size() && a < spec.actions.size(); ++a) {
        const CompiledAction& action = rule.actions[a];
        for (const Reading& reading : readings) {
            const auto recipients = recipients_for(action, reading, territory);
            if (!recipients) {
                break;  // checked notification by notification
            }
            check_flows(a, data_flows(action.carries, reading, rule.listens_to_signals, territory),
                        *recipients, territory, now, findings);
        }
    }
    // A derived signal republishes the data it is computed from under its owner's name: a rule
    // reading it could pass that data on under the owner's agreements.
    for (std::size_t s = 0; s < rule.signals.size() && s < spec.signals.size(); ++s) {
        const CompiledSignal& signal = rule.signals[s];
        for (const Reading& reading : readings) {
            check_flows(spec.actions.size() + s,
                        data_flows(signal.carries, reading, rule.listens_to_signals, territory),
                        {signal.owner}, territory, now, findings);
        }
    }
    for (const auto& [key, finding] : findings) {
        report(key, finding, spec, expired_is_error, diagnostics);
    }
}

}  // namespace passerelle::rules
