// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/router.h"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/routing/recipient_message.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::routing {
namespace {

// The store keeps the firing source alerts of inhibitions and the silences beside the groups,
// under these prefixes.
constexpr std::string_view kInhibitorPrefix = "inhibitor/";
constexpr std::string_view kSilencePrefix = "silence/";

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
    if (name == "served_by") {
        const Entity* entity = territory.entities.find(reading.entity);
        if (entity == nullptr) {
            return {};
        }
        if (!entity->served_by.empty()) {
            return entity->served_by;
        }
        const Entity* building = territory.entities.find(entity->building);
        return building == nullptr ? std::string() : building->served_by;
    }
    const auto label = event.rule->labels.find(name);
    return label == event.rule->labels.end() ? std::string() : label->second;
}

AlertLabels alert_labels(const rules::AlertEvent& event, const Territory& territory) {
    AlertLabels labels(event.rule->labels.begin(), event.rule->labels.end());
    for (const char* name :
         {"rule", "key", "entity", "building", "served_by", "provider", "severity"}) {
        if (auto value = alert_label(event, territory, name); !value.empty()) {
            labels[name] = std::move(value);
        }
    }
    return labels;
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
    RouteGroup& group = it->second;
    if (created) {
        group.route = &route;
        group.route_index = route_index;
        group.rule = event.rule->id;
        group.key = key;
        group.values = std::move(values);
        group.created = event.time;
        group.id = rules::make_alert_id(
            event.rule->id, fmt::format("group/{}/{}", route.recipient, key), event.time);
    }
    changed_.insert(it->first);
    auto held = std::find_if(group.alerts.begin(), group.alerts.end(),
                             [&](const HeldAlert& alert) { return alert.id == event.alert_id; });
    AlertLabels labels = alert_labels(event, territory_);
    const bool is_muted = muted(route.recipient, labels);
    const bool is_new = held == group.alerts.end();
    if (is_muted && !is_new && event.status == rules::AlertStatus::Resolved) {
        // Muted, it was never told: its end is not either.
        group.alerts.erase(held);
        if (group.alerts.empty() && !group.last_sent) {
            groups_.erase(it);
        }
        return;
    }
    // A rule's own repeat changes nothing the group has not said: the route's repeat_interval
    // decides when the group is said again. An alert that starts firing (again) needs someone
    // to take charge of it, even if the group's earlier alerts were.
    if (!is_muted && (is_new || held->muted || held->status != event.status)) {
        group.changed(event.time, event.status != rules::AlertStatus::Resolved);
    }
    if (is_new) {
        group.alerts.push_back(
            HeldAlert{event.alert_id, event.key, event.status, {}, {}, {}, {}, false});
        held = std::prev(group.alerts.end());
    }
    held->status = event.status;
    held->body = nlohmann::json::parse(notification.payload);
    held->agreements = notification.agreements;
    held->providers = notification.providers;
    held->labels = std::move(labels);
    held->muted = is_muted;
}

void Router::observe(const rules::AlertEvent& event) {
    if (config_.inhibitions.empty()) {
        return;
    }
    AlertLabels labels = alert_labels(event, territory_);
    const bool is_source =
        std::any_of(config_.inhibitions.begin(), config_.inhibitions.end(),
                    [&](const Inhibition& inhibition) { return inhibition.is_source(labels); });
    if (!is_source) {
        return;
    }
    const std::string key = std::string(kInhibitorPrefix) + event.alert_id;
    if (event.status == rules::AlertStatus::Resolved) {
        if (sources_.erase(event.alert_id) > 0) {
            changed_.insert(key);
            recheck_muted(event.time);
        }
    } else if (sources_.try_emplace(event.alert_id, std::move(labels)).second) {
        changed_.insert(key);
        recheck_muted(event.time);
    }
}

bool Router::muted(const std::string& recipient, const AlertLabels& labels) const {
    for (const auto& [id, silence] : silences_) {
        if (silence.covers(recipient, labels)) {
            return true;
        }
    }
    for (const auto& [id, source] : sources_) {
        for (const Inhibition& inhibition : config_.inhibitions) {
            if (inhibition.mutes(source, labels)) {
                return true;
            }
        }
    }
    return false;
}

void Router::recheck_muted(Timestamp at) {
    for (auto& [name, group] : groups_) {
        for (HeldAlert& alert : group.alerts) {
            const bool now_muted = muted(group.route->recipient, alert.labels);
            if (now_muted == alert.muted) {
                continue;
            }
            alert.muted = now_muted;
            changed_.insert(name);
            // Released while it still fires: the desk has not heard of it yet, or not lately.
            if (!now_muted && alert.active()) {
                group.changed(at, true);
            }
        }
    }
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

std::optional<Timestamp> Router::next_due() const {
    std::optional<Timestamp> earliest;
    for (const auto& [id, silence] : silences_) {
        if (!earliest || silence.ends < *earliest) {
            earliest = silence.ends;
        }
    }
    for (const auto& [name, group] : groups_) {
        const auto when = group.due();
        if (when && (!earliest || *when < *earliest)) {
            earliest = when;
        }
    }
    if (const auto when = watch_.next_due(); when && (!earliest || *when < *earliest)) {
        earliest = when;
    }
    return earliest;
}

void Router::flush_before(Timestamp until, std::vector<RoutedNotification>& out) {
    // A notice that cannot be sent when due (no desk works) gets a later due time, and each
    // escalation step is taken once, so this ends.
    while (const auto when = next_due()) {
        if (*when >= until) {
            break;
        }
        flush_at(*when, out);
    }
}

void Router::flush_at(Timestamp now, std::vector<RoutedNotification>& out) {
    // Silences that end first: what they muted and still fires is told with the rest.
    bool ended = false;
    for (auto it = silences_.begin(); it != silences_.end();) {
        if (it->second.ends <= now) {
            changed_.insert(std::string(kSilencePrefix) + it->first);
            it = silences_.erase(it);
            ended = true;
        } else {
            ++it;
        }
    }
    if (ended) {
        recheck_muted(now);
    }
    std::vector<std::pair<Timestamp, std::string>> ready;
    for (const auto& [name, group] : groups_) {
        if (const auto when = group.due(); when && *when <= now) {
            ready.emplace_back(*when, name);
        }
    }
    std::sort(ready.begin(), ready.end());
    for (const auto& [when, name] : ready) {
        RouteGroup& group = groups_.at(name);
        changed_.insert(name);
        if (const auto due = group.notice_due(); due && *due <= now && !group.any_shown()) {
            // Every change is of muted alerts, and an acknowledgement of them is nobody's news.
            group.changed_at.reset();
            group.acknowledgement_untold = false;
        } else if (due && *due <= now) {
            if (const Receiver* receiver = receiver_at(*group.route, now)) {
                group.waiting_until.reset();
                out.push_back(notice(group, *receiver, now, 0));
                watch_.sent(out.back(), group.route_index);
            } else {
                // No desk works now: the notice waits for the first to open.
                group.waiting_until =
                    next_opening(*group.route, now).value_or(now + std::chrono::hours(24));
            }
        }
        if (const auto due = group.escalation_due(); due && *due <= now) {
            const EscalationStep& step = group.route->escalation[group.escalated];
            ++group.escalated;
            out.push_back(
                notice(group, Receiver{step.desk, {}, false, step.span}, now, group.escalated));
            watch_.sent(out.back(), group.route_index);
        }
        // Ended alerts are told once; a group whose last notice told the end of all its alerts
        // is over.
        if (group.last_sent == now && group.changed_at == std::nullopt) {
            std::erase_if(group.alerts,
                          [](const HeldAlert& alert) { return !alert.active() && !alert.muted; });
        }
        if (group.alerts.empty()) {
            groups_.erase(name);
        }
    }
    // A copy for the fallback desk only while the group's alerts still need someone.
    watch_.flush_at(now, out, [this](const std::string& id) {
        return std::any_of(groups_.begin(), groups_.end(), [&](const auto& entry) {
            return entry.second.id == id && entry.second.any_active();
        });
    });
}

RoutedNotification Router::notice(RouteGroup& group, const Receiver& receiver, Timestamp now,
                                  std::uint32_t step) const {
    if (step == 0) {
        group.repeats = group.changed_at || group.acknowledgement_untold ? 0 : group.repeats + 1;
        group.changed_at.reset();
        group.acknowledgement_untold = false;
        group.last_sent = now;
    }
    if (!group.acknowledged && !group.unacknowledged_since && group.any_active()) {
        group.unacknowledged_since = now;
    }
    ++group.sequence;
    return group_notice(group, receiver_name(group.route->recipient, receiver), now, step);
}

Result<AcknowledgedGroup> Router::acknowledge(const Acknowledgement& ack, Timestamp now) {
    for (auto& [name, group] : groups_) {
        if (group.route->recipient != ack.recipient) {
            continue;
        }
        const bool holds = group.id == ack.id ||
                           std::any_of(group.alerts.begin(), group.alerts.end(),
                                       [&](const HeldAlert& alert) { return alert.id == ack.id; });
        if (!holds) {
            continue;
        }
        const bool again = group.acknowledged.has_value();
        group.acknowledged = GroupAcknowledgement{ack.by, ack.comment, now};
        group.acknowledgement_untold = true;
        changed_.insert(name);
        return AcknowledgedGroup{group.rule, group.key, group.id, again};
    }
    return make_error("ack.unknown-alert",
                      fmt::format("no alert of '{}' waits with id {}: it may have ended, or the "
                                  "id is another recipient's",
                                  ack.recipient, ack.id));
}

std::optional<std::string> Router::group_id(const std::string& recipient, const std::string& rule,
                                            const std::string& group_key) const {
    for (const auto& [name, group] : groups_) {
        if (group.route->recipient == recipient && group.rule == rule && group.key == group_key) {
            return group.id;
        }
    }
    return std::nullopt;
}

void Router::add_silence(Silence silence) {
    changed_.insert(std::string(kSilencePrefix) + silence.id);
    const Timestamp at = silence.starts;
    silences_[silence.id] = std::move(silence);
    recheck_muted(at);
}

Result<Silence> Router::expire_silence(const std::string& recipient, const std::string& id,
                                       Timestamp now) {
    const auto it = silences_.find(id);
    if (it == silences_.end() || it->second.recipient != recipient) {
        return make_error(
            "silence.unknown",
            fmt::format("'{}' has no silence {} in force: it may have ended", recipient, id));
    }
    Silence silence = std::move(it->second);
    silence.ends = now;
    silences_.erase(it);
    changed_.insert(std::string(kSilencePrefix) + id);
    recheck_muted(now);
    return silence;
}

std::optional<RoutedNotification> Router::refused(const std::string& payload,
                                                  std::vector<std::string> agreements,
                                                  std::vector<std::string> providers,
                                                  Timestamp now) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (!json.is_object() || !json.contains("notice") || !json.contains("group")) {
        return std::nullopt;  // a rule's own notification: no route sent it
    }
    RoutedNotification original;
    original.recipient = text_field(json, "recipient");
    original.receiver = text_field(json, "receiver");
    original.rule = text_field(json, "rule");
    original.group_key = text_field(json, "group");
    original.id = text_field(json, "id");
    original.payload = payload;
    original.status = text_field(json, "status") == "resolved" ? rules::AlertStatus::Resolved
                                                               : rules::AlertStatus::Firing;
    original.notice = fmt::format("group-{}", json.value("notice", 0U));
    original.escalation_step =
        json.contains("escalation") ? json["escalation"].value("step", 0U) : 0U;
    original.agreements = std::move(agreements);
    original.providers = std::move(providers);
    if (const auto alerts = json.find("alerts"); alerts != json.end() && alerts->is_array()) {
        for (const auto& alert : *alerts) {
            original.alert_keys.push_back(alert.is_object() ? text_field(alert, "key") : "");
        }
    }
    const Route* route = nullptr;
    for (const auto& [name, group] : groups_) {
        if (group.id == original.id) {
            route = group.route;
        }
    }
    for (const Route& candidate : config_.routes) {
        if (route == nullptr && candidate.recipient == original.recipient &&
            (candidate.rules.empty() || std::find(candidate.rules.begin(), candidate.rules.end(),
                                                  original.rule) != candidate.rules.end())) {
            route = &candidate;
        }
    }
    if (route == nullptr || !route->fallback || original.receiver == fallback_receiver(*route)) {
        return std::nullopt;
    }
    watch_.forget(original.id, original.receiver);
    const Timestamp sent = parse_utc(text_field(json, "ts")).value_or(now);
    return fallback_notice(original, *route, "refused", sent, now);
}

std::vector<Silence> Router::silences() const {
    std::vector<Silence> all;
    for (const auto& [id, silence] : silences_) {
        all.push_back(silence);
    }
    return all;
}

std::vector<std::string> Router::take_changed_groups() {
    watch_.take_changed(changed_);
    std::vector<std::string> keys(changed_.begin(), changed_.end());
    changed_.clear();
    return keys;
}

std::optional<std::string> Router::group_state(const std::string& key) const {
    if (key.starts_with(DeliveryWatch::kPresencePrefix) ||
        key.starts_with(DeliveryWatch::kUndeliveredPrefix)) {
        return watch_.state(key);
    }
    if (key.starts_with(kSilencePrefix)) {
        const auto silence = silences_.find(key.substr(kSilencePrefix.size()));
        if (silence == silences_.end()) {
            return std::nullopt;
        }
        return to_json(silence->second).dump();
    }
    if (key.starts_with(kInhibitorPrefix)) {
        const auto source = sources_.find(key.substr(kInhibitorPrefix.size()));
        if (source == sources_.end()) {
            return std::nullopt;
        }
        return nlohmann::json(source->second).dump();
    }
    const auto it = groups_.find(key);
    if (it == groups_.end()) {
        return std::nullopt;
    }
    return to_state(it->second);
}

bool Router::restore_group(const std::string& key, const std::string& state, std::string& problem) {
    if (key.starts_with(DeliveryWatch::kPresencePrefix) ||
        key.starts_with(DeliveryWatch::kUndeliveredPrefix)) {
        return watch_.restore(key, state, problem);
    }
    if (key.starts_with(kSilencePrefix)) {
        auto silence = silence_from_json(nlohmann::json::parse(state, nullptr, false));
        if (!silence) {
            problem = "its state cannot be read";
            return false;
        }
        silences_[silence->id] = std::move(*silence);
        return true;
    }
    if (key.starts_with(kInhibitorPrefix)) {
        const auto labels = nlohmann::json::parse(state, nullptr, false);
        if (!labels.is_object()) {
            problem = "its state is not a JSON object";
            return false;
        }
        try {
            sources_[key.substr(kInhibitorPrefix.size())] = labels.get<AlertLabels>();
            return true;
        } catch (const nlohmann::json::exception& error) {
            problem = fmt::format("its labels cannot be read: {}", error.what());
            return false;
        }
    }
    auto group = from_state(state, config_, problem);
    if (!group) {
        return false;
    }
    groups_[key] = std::move(*group);
    return true;
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

std::string fallback_receiver(const Route& route) {
    return route.recipient + "/" + route.fallback->desk;
}

}  // namespace passerelle::routing
