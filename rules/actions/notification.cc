// SPDX-License-Identifier: Apache-2.0
#include "rules/actions/notification.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/core/topic.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::rules {
namespace {

using nlohmann::json;

json value_to_json(const Value& value) {
    return std::visit([](const auto& v) { return json(v); }, value);
}

}  // namespace

const std::vector<std::string>& notification_placeholders() {
    static const std::vector<std::string> kNames{
        "entity", "provider", "quantity", "unit",     "value",    "rule",
        "key",    "severity", "status",   "started_at", "time",   "duration",
    };
    return kNames;
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
    if (name == "started_at") {
        return format_utc(event.started_at);
    }
    if (name == "time") {
        return format_utc(event.time);
    }
    if (name == "duration") {
        return format_duration(std::chrono::duration_cast<std::chrono::seconds>(event.time -
                                                                                 event.started_at));
    }
    return std::string();
}

std::vector<Notification> plan_notifications(const AlertEvent& event, const Territory& territory,
                                             std::vector<std::string>& skipped) {
    std::vector<Notification> out;
    const CompiledRule& rule = *event.rule;
    const auto lookup = [&event](std::string_view name) { return placeholder_value(event, name); };
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
        if ((event.actions & (std::uint64_t{1} << i)) == 0) {
            continue;
        }
        const CompiledAction& action = rule.actions[i];
        // Recipients come from the reading that fired the alert, so that whoever was told of its
        // start is told of its end, whatever the later readings say.
        const std::string recipient = action.recipient.render([&event](std::string_view name) {
            return placeholder_value(event, event.firing_reading, name);
        });
        if (territory.find_stakeholder(recipient) == nullptr) {
            skipped.push_back(recipient);
            continue;
        }
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
            {"message", (event.status == AlertStatus::Resolved && action.resolved_message
                             ? *action.resolved_message
                             : action.message)
                            .render(lookup)},
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
        if (event.status == AlertStatus::Resolved) {
            body["duration_s"] =
                std::chrono::duration_cast<std::chrono::seconds>(event.time - event.started_at)
                    .count();
        }
        out.push_back(Notification{
            recipient,
            fmt::format("notify/{}/{}/{}", recipient, rule.id, event.key),
            // Texts come from people and devices: replace invalid UTF-8 rather than fail.
            body.dump(-1, ' ', false, json::error_handler_t::replace),
            event.alert_id,
        });
    }
    return out;
}

}  // namespace passerelle::rules
