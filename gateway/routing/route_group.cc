// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/route_group.h"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/core/unix_micros.h"

namespace passerelle::routing {
namespace {

std::optional<Timestamp> earliest(std::optional<Timestamp> a, std::optional<Timestamp> b) {
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    return std::min(*a, *b);
}

nlohmann::json optional_micros(const std::optional<Timestamp>& t) {
    return t ? nlohmann::json(to_unix_micros(*t)) : nlohmann::json();
}

std::optional<Timestamp> read_optional_micros(const nlohmann::json& value) {
    if (value.is_null()) {
        return std::nullopt;
    }
    return from_unix_micros(value.get<std::int64_t>());
}

rules::AlertStatus parse_status(const std::string& text) {
    if (text == "resolved") {
        return rules::AlertStatus::Resolved;
    }
    return text == "flapping" ? rules::AlertStatus::Flapping : rules::AlertStatus::Firing;
}

}  // namespace

bool RouteGroup::any_active() const {
    return std::any_of(alerts.begin(), alerts.end(),
                       [](const HeldAlert& alert) { return alert.active() && !alert.muted; });
}

bool RouteGroup::any_shown() const {
    return std::any_of(alerts.begin(), alerts.end(),
                       [](const HeldAlert& alert) { return !alert.muted; });
}

std::optional<Timestamp> RouteGroup::notice_due() const {
    std::optional<Timestamp> when;
    if (changed_at) {
        when = last_sent ? std::max(*changed_at, *last_sent + route->group_interval)
                         : *changed_at + route->group_wait;
    } else if (acknowledgement_untold && acknowledged) {
        when = acknowledged->at;
    } else if (last_sent && route->repeat_interval && !acknowledged && any_active()) {
        when = *last_sent + *route->repeat_interval;
    }
    if (when && waiting_until) {
        when = std::max(*when, *waiting_until);
    }
    return when;
}

std::optional<Timestamp> RouteGroup::escalation_due() const {
    if (acknowledged || !unacknowledged_since || escalated >= route->escalation.size() ||
        !any_active()) {
        return std::nullopt;
    }
    return *unacknowledged_since + route->escalation[escalated].after;
}

std::optional<Timestamp> RouteGroup::due() const {
    return earliest(notice_due(), escalation_due());
}

void RouteGroup::changed(Timestamp at, bool needs_acknowledgement) {
    if (!changed_at) {
        changed_at = at;
    }
    // An alert firing in a group someone took charge of needs taking charge of again: the
    // escalation starts over from the next notice. Unacknowledged, its clock keeps running.
    if (needs_acknowledgement && acknowledged) {
        acknowledged.reset();
        acknowledgement_untold = false;
        unacknowledged_since.reset();
        escalated = 0;
    }
}

std::string to_state(const RouteGroup& group) {
    nlohmann::json alerts = nlohmann::json::array();
    for (const HeldAlert& alert : group.alerts) {
        alerts.push_back({{"id", alert.id},
                          {"key", alert.key},
                          {"status", rules::to_string(alert.status)},
                          {"body", alert.body},
                          {"agreements", alert.agreements},
                          {"providers", alert.providers},
                          {"labels", alert.labels},
                          {"muted", alert.muted}});
    }
    nlohmann::json acknowledged;
    if (group.acknowledged) {
        acknowledged = {{"by", group.acknowledged->by},
                        {"comment", group.acknowledged->comment},
                        {"at_us", to_unix_micros(group.acknowledged->at)}};
    }
    const nlohmann::json state{
        {"recipient", group.route->recipient},
        {"route", group.route_index},
        {"rule", group.rule},
        {"key", group.key},
        {"values", group.values},
        {"id", group.id},
        {"created_us", to_unix_micros(group.created)},
        {"last_sent_us", optional_micros(group.last_sent)},
        {"changed_at_us", optional_micros(group.changed_at)},
        {"sequence", group.sequence},
        {"repeats", group.repeats},
        {"acknowledged", std::move(acknowledged)},
        {"acknowledgement_untold", group.acknowledgement_untold},
        {"unacknowledged_since_us", optional_micros(group.unacknowledged_since)},
        {"escalated", group.escalated},
        {"alerts", std::move(alerts)}};
    return state.dump();
}

std::optional<RouteGroup> from_state(const std::string& state, const RoutingConfig& config,
                                     std::string& problem) {
    const auto json = nlohmann::json::parse(state, nullptr, false);
    if (!json.is_object()) {
        problem = "its state is not JSON";
        return std::nullopt;
    }
    try {
        RouteGroup group;
        group.route_index = json.at("route").get<std::size_t>();
        const auto recipient = json.at("recipient").get<std::string>();
        if (group.route_index >= config.routes.size() ||
            config.routes[group.route_index].recipient != recipient) {
            problem =
                fmt::format("the route of '{}' it belonged to is no longer configured", recipient);
            return std::nullopt;
        }
        group.route = &config.routes[group.route_index];
        group.rule = json.at("rule").get<std::string>();
        group.key = json.at("key").get<std::string>();
        group.values = json.at("values").get<std::vector<std::string>>();
        group.id = json.at("id").get<std::string>();
        group.created = from_unix_micros(json.at("created_us").get<std::int64_t>());
        group.last_sent = read_optional_micros(json.at("last_sent_us"));
        group.changed_at = read_optional_micros(json.at("changed_at_us"));
        group.sequence = json.at("sequence").get<std::uint32_t>();
        group.repeats = json.at("repeats").get<std::uint32_t>();
        if (const auto& ack = json.at("acknowledged"); !ack.is_null()) {
            group.acknowledged = GroupAcknowledgement{
                ack.at("by").get<std::string>(), ack.at("comment").get<std::string>(),
                from_unix_micros(ack.at("at_us").get<std::int64_t>())};
        }
        group.acknowledgement_untold = json.at("acknowledgement_untold").get<bool>();
        group.unacknowledged_since = read_optional_micros(json.at("unacknowledged_since_us"));
        group.escalated = json.at("escalated").get<std::uint32_t>();
        // When a desk opens is the configuration's to say, which may have changed: the next
        // attempt finds out again.
        for (const auto& alert : json.at("alerts")) {
            group.alerts.push_back(
                HeldAlert{alert.at("id").get<std::string>(), alert.at("key").get<std::string>(),
                          parse_status(alert.at("status").get<std::string>()), alert.at("body"),
                          alert.at("agreements").get<std::vector<std::string>>(),
                          alert.at("providers").get<std::vector<std::string>>(),
                          alert.at("labels").get<AlertLabels>(), alert.at("muted").get<bool>()});
        }
        return group;
    } catch (const nlohmann::json::exception& error) {
        problem = fmt::format("its state cannot be read: {}", error.what());
        return std::nullopt;
    }
}

}  // namespace passerelle::routing
