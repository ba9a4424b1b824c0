// SPDX-License-Identifier: Apache-2.0
#include "rules/actions/notification.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/core/topic.h"
#include "rules/actions/group_placeholders.h"
#include "rules/compiler/rule_set.h"
#include "rules/template/text_format.h"

namespace passerelle::rules {
namespace {

using nlohmann::json;

json value_to_json(const Value& value) {
    return std::visit([](const auto& v) { return json(v); }, value);
}

double seconds_between(Timestamp from, Timestamp to) {
    return std::chrono::duration<double>(to - from).count();
}

// The alert's times and its episode's extremes. Times are seconds since the epoch: the template
// prints them in UTC or, filtered, in local time. Extremes are empty until a number was read.
std::optional<Value> alert_value(const AlertEvent& event, const Reading& reading,
                                 std::string_view name) {
    const EpisodeExtremes& extremes = event.extremes;
    if (name == "started_at") {
        return to_epoch_seconds(event.started_at);
    }
    if (name == "time") {
        return to_epoch_seconds(event.time);
    }
    if (name == "reading_time") {
        return to_epoch_seconds(reading.time);
    }
    if (name == "min_value" || name == "max_value" || name == "min_time" || name == "max_time") {
        if (!extremes.known) {
            return std::string();
        }
        const bool min = name.starts_with("min");
        if (name.ends_with("_value")) {
            return min ? extremes.min : extremes.max;
        }
        return to_epoch_seconds(min ? extremes.min_at : extremes.max_at);
    }
    return std::nullopt;
}

}  // namespace

const std::vector<PlaceholderSpec>& notification_placeholders() {
    using enum ValueKind;
    static const std::vector<PlaceholderSpec> kNames{
        {"entity", Text},       {"provider", Text},    {"quantity", Text},
        {"unit", Text},         {"value", Any},        {"rule", Text},
        {"key", Text},          {"severity", Text},    {"status", Text},
        {"started_at", Time},   {"time", Time},        {"duration", Duration},
        {"reading_time", Time}, {"min_value", Number}, {"max_value", Number},
        {"min_time", Time},     {"max_time", Time},
    };
    return kNames;
}

std::vector<PlaceholderSpec> relation_placeholders(const Territory& territory, bool with_served) {
    std::vector<PlaceholderSpec> fields{{"id", ValueKind::Text},
                                        {"type", ValueKind::Text},
                                        {"provider", ValueKind::Text},
                                        {"building", ValueKind::Text}};
    for (auto& attribute : territory.entities.attribute_names()) {
        fields.push_back({std::move(attribute), ValueKind::Any});
    }
    std::vector<PlaceholderSpec> names;
    for (const char* relation : {"building", "served"}) {
        if (std::string_view(relation) == "served" && !with_served) {
            continue;
        }
        for (const auto& field : fields) {
            names.push_back({fmt::format("{}.{}", relation, field.name), field.kind});
        }
    }
    return names;
}

std::optional<Value> entity_field(const Entity& entity, std::string_view field) {
    if (field == "id") {
        return entity.id;
    }
    if (field == "type") {
        return entity.type;
    }
    if (field == "provider") {
        return entity.provider;
    }
    if (field == "building") {
        return entity.building;
    }
    if (const auto it = entity.attributes.find(std::string(field)); it != entity.attributes.end()) {
        return it->second;
    }
    return std::nullopt;
}

Value placeholder_value(const AlertEvent& event, std::string_view name) {
    return placeholder_value(event, event.reading, name);
}

Value placeholder_value(const AlertEvent& event, const Reading& reading, std::string_view name) {
    if (auto field = reading_field(reading, name)) {
        return *std::move(field);
    }
    if (name == "rule") {
        return event.rule->id;
    }
    if (name == "key") {
        return event.key;
    }
    if (name == "severity") {
        return std::string(to_string(event.rule->severity));
    }
    if (name == "status") {
        return std::string(to_string(event.status));
    }
    if (auto value = alert_value(event, reading, name)) {
        return *std::move(value);
    }
    if (auto value = group_placeholder_value(event, name)) {
        return *std::move(value);
    }
    if (name == "duration") {
        return seconds_between(event.started_at, event.time);
    }
    return std::string();
}

namespace {

// A placeholder's value, the relations (`building.provider`, `served.provider`) included.
Value relation_or_placeholder(const AlertEvent& event, const Reading& reading,
                              const Entity* building, const Entity* served, std::string_view name) {
    const auto related = [&](std::string_view prefix, const Entity* entity) -> std::optional<Value> {
        if (!name.starts_with(prefix)) {
            return std::nullopt;
        }
        if (entity == nullptr) {
            return Value(std::string());
        }
        return entity_field(*entity, name.substr(prefix.size())).value_or(std::string());
    };
    if (auto value = related("building.", building)) {
        return *std::move(value);
    }
    if (auto value = related("served.", served)) {
        return *std::move(value);
    }
    return placeholder_value(event, reading, name);
}

bool uses_served(const Template& recipient) {
    const auto names = recipient.placeholders();
    return std::any_of(names.begin(), names.end(),
                       [](const std::string& name) { return name.starts_with("served."); });
}

// Who an action tells: one recipient, or one per entity served (each landlord of the buildings a
// substation heats), each once. Recipients come from the reading that fired the alert, so that
// whoever was told of its start is told of its end, whatever the later readings say.
std::vector<std::string> recipients(const CompiledAction& action, const AlertEvent& event,
                                    const Territory& territory, std::vector<std::string>& skipped) {
    const Reading& fired = event.firing_reading;
    const Entity* entity = territory.entities.find(fired.entity);
    const Entity* building = entity == nullptr ? nullptr : territory.entities.find(entity->building);
    std::vector<const Entity*> served{nullptr};
    if (uses_served(action.recipient)) {
        served = territory.entities.served_by(fired.entity);
    }
    std::vector<std::string> out;
    for (const Entity* each : served) {
        std::string recipient = action.recipient.render(
            [&](std::string_view name) {
                return relation_or_placeholder(event, fired, building, each, name);
            },
            event.zone);
        if (territory.find_stakeholder(recipient) == nullptr) {
            skipped.push_back(std::move(recipient));
        } else if (std::find(out.begin(), out.end(), recipient) == out.end()) {
            out.push_back(std::move(recipient));
        }
    }
    return out;
}

std::string message_text(const AlertEvent& event, const CompiledAction& action,
                         const std::function<Value(std::string_view)>& lookup) {
    switch (event.status) {
        case AlertStatus::Firing:
            break;
        case AlertStatus::Resolved:
            if (action.resolved_message) {
                return action.resolved_message->render(lookup, event.zone);
            }
            break;
        case AlertStatus::Flapping:
            if (action.flapping_message) {
                return action.flapping_message->render(lookup, event.zone);
            }
            // Recipients must understand why they will hear nothing for a while.
            return fmt::format(
                "Alerte instable ({}, {}) : {} changements d'état en {} ; notifications "
                "suspendues jusqu'au retour au calme",
                event.rule->id, event.key, event.rule->flapping.transitions,
                duration_in_words(
                    std::chrono::duration<double>(event.rule->flapping.within).count()));
    }
    return action.message.render(lookup, event.zone);
}

// The registry attributes the rule reads that this recipient may receive: its own, those its
// agreements cover. Another party's personal data is left out.
json visible_attributes(const AlertEvent& event, const std::string& recipient,
                        const Territory& territory) {
    json attributes = json::object();
    const Entity* entity = territory.entities.find(event.reading.entity);
    if (entity == nullptr) {
        return attributes;
    }
    for (const std::string& name : event.rule->attributes_read) {
        const auto value = entity->attributes.find(name);
        if (value != entity->attributes.end() &&
            check_flow(territory.agreements, territory.attribute_flow(*entity, name), recipient,
                       event.time)
                .allowed()) {
            attributes[name] = value_to_json(value->second);
        }
    }
    return attributes;
}

Notification notification(const AlertEvent& event, const CompiledAction& action,
                          const std::string& recipient,
                          const std::function<Value(std::string_view)>& lookup,
                          const Territory& territory) {
    const CompiledRule& rule = *event.rule;
    const Reading& reading = event.reading;
    json body = {
        {"id", event.alert_id},
        {"rule", rule.id},
        {"status", to_string(event.status)},
        {"severity", to_string(rule.severity)},
        {"key", event.key},
        {"entity", reading.entity},
        {"provider", reading.provider},
        {"recipient", recipient},
        {"message", message_text(event, action, lookup)},
        {"started_at", format_utc(event.started_at)},
        {"ts", format_utc(event.time)},
        {"quantity", reading.quantity},
        {"value", value_to_json(reading.value)},
    };
    if (!reading.unit.empty()) {
        body["unit"] = reading.unit;
    }
    if (!rule.labels.empty()) {
        body["labels"] = rule.labels;
    }
    if (json attributes = visible_attributes(event, recipient, territory); !attributes.empty()) {
        body["attributes"] = std::move(attributes);
    }
    if (event.repeat > 0) {
        body["repeat"] = event.repeat;
    }
    if (event.status == AlertStatus::Flapping) {
        body["flapping"] = {
            {"transitions", rule.flapping.transitions},
            {"within_s",
             std::chrono::duration_cast<std::chrono::seconds>(rule.flapping.within).count()}};
    }
    if (event.status == AlertStatus::Resolved) {
        body["duration_s"] =
            std::chrono::duration_cast<std::chrono::seconds>(event.time - event.started_at).count();
        if (event.extremes.known) {
            body["episode"] = {{"min", event.extremes.min},
                               {"min_at", format_utc(event.extremes.min_at)},
                               {"max", event.extremes.max},
                               {"max_at", format_utc(event.extremes.max_at)}};
        }
    }
    return Notification{
        recipient,
        fmt::format("notify/{}/{}/{}", recipient, rule.id, event.key),
        // Texts come from people and devices: replace invalid UTF-8 rather than fail.
        body.dump(-1, ' ', false, json::error_handler_t::replace),
        event.alert_id,
        {},
        0,
    };
}

// Whether every flow of the action's data to `recipient` is allowed at the event's time; the
// agreements that allow them go to `agreements`.
std::optional<BlockedNotification> check_sharing(const AlertEvent& event, std::size_t action,
                                                 const std::string& recipient,
                                                 const Territory& territory,
                                                 std::vector<std::string>& agreements,
                                                 std::vector<std::string>& providers) {
    const CompiledRule& rule = *event.rule;
    for (const DataFlow& flow : data_flows(rule.actions[action].carries, event.firing_reading,
                                           rule.listens_to_signals, territory)) {
        const FlowCheck check = check_flow(territory.agreements, flow, recipient, event.time);
        if (!check.allowed()) {
            return BlockedNotification{recipient, action, flow, check};
        }
        if (std::find(providers.begin(), providers.end(), flow.provider) == providers.end()) {
            providers.push_back(flow.provider);
        }
        if (check.agreement != nullptr && std::find(agreements.begin(), agreements.end(),
                                                    check.agreement->id) == agreements.end()) {
            agreements.push_back(check.agreement->id);
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<Notification> plan_notifications(const AlertEvent& event, const Territory& territory,
                                             std::vector<std::string>& skipped,
                                             std::vector<BlockedNotification>* blocked) {
    std::vector<Notification> out;
    const CompiledRule& rule = *event.rule;
    const Entity* entity = territory.entities.find(event.reading.entity);
    const Entity* building =
        entity == nullptr ? nullptr : territory.entities.find(entity->building);
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
        if ((event.actions & (std::uint64_t{1} << i)) == 0) {
            continue;
        }
        for (const auto& recipient : recipients(rule.actions[i], event, territory, skipped)) {
            std::vector<std::string> agreements;
            std::vector<std::string> providers;
            if (auto refused =
                    check_sharing(event, i, recipient, territory, agreements, providers)) {
                if (blocked != nullptr) {
                    blocked->push_back(std::move(*refused));
                }
                continue;
            }
            // A building's attribute prints only for a recipient allowed to receive it.
            const std::function<Value(std::string_view)> lookup = [&](std::string_view name) {
                constexpr std::string_view kBuilding = "building.";
                if (name.starts_with(kBuilding) && building != nullptr &&
                    building->attributes.contains(std::string(name.substr(kBuilding.size()))) &&
                    !check_flow(territory.agreements,
                                territory.attribute_flow(*building, name.substr(kBuilding.size())),
                                recipient, event.time)
                         .allowed()) {
                    return Value(std::string("[masqué]"));
                }
                return relation_or_placeholder(event, event.reading, building, nullptr, name);
            };
            Notification planned =
                notification(event, rule.actions[i], recipient, lookup, territory);
            planned.agreements = std::move(agreements);
            planned.action = i;
            planned.providers = std::move(providers);
            out.push_back(std::move(planned));
        }
    }
    return out;
}

}  // namespace passerelle::rules
