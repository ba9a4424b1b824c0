// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/router.h"

#include <algorithm>

#include <fmt/format.h>

#include "rules/compiler/rule_set.h"

namespace passerelle::routing {
namespace {

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (std::find(to.begin(), to.end(), name) == to.end()) {
            to.push_back(name);
        }
    }
}

bool is_active(rules::AlertStatus status) {
    return status != rules::AlertStatus::Resolved;
}

// A topic level made of the group's label values: "hs-bat-a", or "hs-bat-a,warning" for two.
// A missing value reads "-"; a rule grouped on nothing has a single group, "all".
std::string group_key_of(const std::vector<std::string>& values) {
    if (values.empty()) {
        return "all";
    }
    std::string key;
    for (const auto& value : values) {
        if (!key.empty()) {
            key += ',';
        }
        key += value.empty() ? "-" : value;
    }
    return key;
}

}  // namespace

std::string alert_label(const rules::AlertEvent& event, const Territory& territory,
                        const std::string& name) {
    const Reading& reading = event.firing_reading;
    if (name == "rule") {
        return event.rule->id;
    }
    if (name == "key") {
        return event.key;
    }
    if (name == "entity") {
        return reading.entity;
    }
    if (name == "provider") {
        return reading.provider;
    }
    if (name == "severity") {
        return rules::to_string(event.rule->severity);
    }
    if (name == "building") {
        const Entity* entity = territory.entities.find(reading.entity);
        return entity == nullptr ? std::string() : entity->building;
    }
    const auto label = event.rule->labels.find(name);
    return label == event.rule->labels.end() ? std::string() : label->second;
}

Router::Router(RoutingConfig config, const Territory& territory, TimeZone zone)
    : config_(std::move(config)), territory_(territory), zone_(std::move(zone)) {}

const Route* Router::route_of(const rules::AlertEvent& event,
                              const rules::Notification& notification) const {
    for (const Route& route : config_.routes) {
        if (route.recipient != notification.recipient) {
            continue;
        }
        if (!route.rules.empty() && std::find(route.rules.begin(), route.rules.end(),
                                              event.rule->id) == route.rules.end()) {
            continue;
        }
        const bool matches =
            std::all_of(route.match.begin(), route.match.end(), [&](const auto& wanted) {
                return alert_label(event, territory_, wanted.first) == wanted.second;
            });
        if (matches) {
            return &route;
        }
    }
    return nullptr;
}

void Router::accept(const Route& route, const rules::AlertEvent& event,
                    const rules::Notification& notification) {
    std::vector<std::string> values;
    values.reserve(route.group_by.size());
    for (const auto& label : route.group_by) {
        values.push_back(alert_label(event, territory_, label));
    }
    const std::string key = group_key_of(values);
    const auto route_index = static_cast<std::size_t>(&route - config_.routes.data());
    auto [it, created] =
        groups_.try_emplace(fmt::format("{}/{}/{}", route_index, event.rule->id, key));
    Group& group = it->second;
    if (created) {
        group.route = &route;
        group.rule = event.rule->id;
        group.key = key;
        group.values = std::move(values);
        group.created = event.time;
        group.id = rules::make_alert_id(
            event.rule->id, fmt::format("group/{}/{}", route.recipient, key), event.time);
    }
    auto held = std::find_if(group.alerts.begin(), group.alerts.end(),
                             [&](const HeldAlert& alert) { return alert.id == event.alert_id; });
    if (held == group.alerts.end() || held->status != event.status) {
        if (!group.changed_at) {
            group.changed_at = event.time;
        }
    }
    if (held == group.alerts.end()) {
        group.alerts.push_back(HeldAlert{event.alert_id, event.key, event.status, {}, {}, {}});
        held = std::prev(group.alerts.end());
    }
    // A rule's own repeat changes nothing the group has not said: the route's repeat_interval
    // decides when the group is said again.
    held->status = event.status;
    held->body = nlohmann::json::parse(notification.payload);
    held->agreements = notification.agreements;
    held->providers = notification.providers;
}

const Receiver* Router::receiver_at(const Route& route, Timestamp now) const {
    static const Receiver kRecipientItself{};
    if (route.receivers.empty()) {
        return &kRecipientItself;
    }
    for (const Receiver& receiver : route.receivers) {
        if (receiver.interval.empty()) {
            return &receiver;
        }
        const TimeInterval* interval = config_.find_interval(receiver.interval);
        if (interval != nullptr && interval->contains(now, zone_) != receiver.outside) {
            return &receiver;
        }
    }
    return nullptr;
}

std::optional<Timestamp> Router::next_opening(const Route& route, Timestamp now) const {
    std::optional<Timestamp> earliest;
    for (const Receiver& receiver : route.receivers) {
        const TimeInterval* interval = config_.find_interval(receiver.interval);
        if (interval == nullptr) {
            continue;
        }
        const auto change = interval->next_change(now, zone_);
        if (change && (!earliest || *change < *earliest)) {
            earliest = change;
        }
    }
    return earliest;
}

std::optional<Timestamp> Router::due(const Group& group) const {
    std::optional<Timestamp> when;
    if (group.changed_at) {
        when = group.last_sent
                   ? std::max(*group.changed_at, *group.last_sent + group.route->group_interval)
                   : *group.changed_at + group.route->group_wait;
    } else if (group.last_sent && group.route->repeat_interval &&
               std::any_of(group.alerts.begin(), group.alerts.end(),
                           [](const HeldAlert& alert) { return is_active(alert.status); })) {
        when = *group.last_sent + *group.route->repeat_interval;
    }
    if (when && group.waiting_until) {
        when = std::max(*when, *group.waiting_until);
    }
    return when;
}

std::optional<Timestamp> Router::next_due() const {
    std::optional<Timestamp> earliest;
    for (const auto& [name, group] : groups_) {
        const auto when = due(group);
        if (when && (!earliest || *when < *earliest)) {
            earliest = when;
        }
    }
    return earliest;
}

void Router::flush_due(Timestamp now, std::vector<RoutedNotification>& out) {
    std::vector<std::pair<Timestamp, std::string>> ready;
    for (const auto& [name, group] : groups_) {
        if (const auto when = due(group); when && *when <= now) {
            ready.emplace_back(*when, name);
        }
    }
    std::sort(ready.begin(), ready.end());
    for (const auto& [when, name] : ready) {
        Group& group = groups_.at(name);
        const Receiver* receiver = receiver_at(*group.route, now);
        if (receiver == nullptr) {
            // No desk works now: the notice waits for the first to open.
            group.waiting_until = next_opening(*group.route, now);
            if (!group.waiting_until) {
                group.waiting_until = now + std::chrono::hours(24);
            }
            continue;
        }
        group.waiting_until.reset();
        out.push_back(notice(group, *receiver, now));
        std::erase_if(group.alerts,
                      [](const HeldAlert& alert) { return !is_active(alert.status); });
        if (group.alerts.empty()) {
            groups_.erase(name);
        }
    }
}

RoutedNotification Router::notice(Group& group, const Receiver& receiver, Timestamp now) const {
    const Route& route = *group.route;
    group.repeats = group.changed_at ? 0 : group.repeats + 1;
    group.changed_at.reset();
    group.last_sent = now;
    ++group.sequence;
    RoutedNotification routed;
    routed.recipient = route.recipient;
    routed.receiver = receiver_name(route.recipient, receiver);
    routed.rule = group.rule;
    routed.group_key = group.key;
    routed.id = group.id;
    routed.notice = fmt::format("group-{}", group.sequence);
    routed.time = now;
    routed.topic = fmt::format("notify/{}/{}/{}", routed.receiver, group.rule, group.key);
    std::size_t firing = 0;
    nlohmann::json alerts = nlohmann::json::array();
    std::string message;
    for (const HeldAlert& alert : group.alerts) {
        firing += is_active(alert.status) ? 1 : 0;
        alerts.push_back(alert.body);
        routed.alert_keys.push_back(alert.key);
        add_unique(routed.agreements, alert.agreements);
        add_unique(routed.providers, alert.providers);
        if (const auto text = alert.body.find("message");
            text != alert.body.end() && text->is_string()) {
            message += message.empty() ? "" : "\n";
            message += text->get<std::string>();
        }
    }
    routed.status = firing > 0 ? rules::AlertStatus::Firing : rules::AlertStatus::Resolved;
    nlohmann::json labels = nlohmann::json::object();
    for (std::size_t i = 0; i < route.group_by.size(); ++i) {
        labels[route.group_by[i]] = group.values[i];
    }
    nlohmann::json payload{{"id", group.id},
                           {"rule", group.rule},
                           {"group", group.key},
                           {"labels", std::move(labels)},
                           {"recipient", route.recipient},
                           {"receiver", routed.receiver},
                           {"status", rules::to_string(routed.status)},
                           {"count", group.alerts.size()},
                           {"firing", firing},
                           {"resolved", group.alerts.size() - firing},
                           {"message", message},
                           {"alerts", std::move(alerts)},
                           {"ts", format_utc(now)},
                           {"notice", group.sequence}};
    if (group.repeats > 0) {
        payload["repeat"] = group.repeats;
    }
    routed.payload = payload.dump();
    return routed;
}

const TimeInterval* RoutingConfig::find_interval(std::string_view id) const {
    for (const TimeInterval& interval : intervals) {
        if (interval.id == id) {
            return &interval;
        }
    }
    return nullptr;
}

std::string receiver_name(const std::string& recipient, const Receiver& receiver) {
    return receiver.desk.empty() ? recipient : recipient + "/" + receiver.desk;
}

}  // namespace passerelle::routing
