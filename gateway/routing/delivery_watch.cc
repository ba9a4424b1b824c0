// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/delivery_watch.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/core/unix_micros.h"

namespace passerelle::routing {
namespace {

nlohmann::json notice_json(const RoutedNotification& notice) {
    return {{"recipient", notice.recipient},
            {"receiver", notice.receiver},
            {"topic", notice.topic},
            {"payload", notice.payload},
            {"rule", notice.rule},
            {"group", notice.group_key},
            {"id", notice.id},
            {"notice", notice.notice},
            {"status", rules::to_string(notice.status)},
            {"time_us", to_unix_micros(notice.time)},
            {"escalation_step", notice.escalation_step},
            {"alert_keys", notice.alert_keys},
            {"agreements", notice.agreements},
            {"providers", notice.providers}};
}

RoutedNotification notice_from_json(const nlohmann::json& json) {
    RoutedNotification notice;
    notice.recipient = json.at("recipient").get<std::string>();
    notice.receiver = json.at("receiver").get<std::string>();
    notice.topic = json.at("topic").get<std::string>();
    notice.payload = json.at("payload").get<std::string>();
    notice.rule = json.at("rule").get<std::string>();
    notice.group_key = json.at("group").get<std::string>();
    notice.id = json.at("id").get<std::string>();
    notice.notice = json.at("notice").get<std::string>();
    notice.status = json.at("status").get<std::string>() == "resolved"
                        ? rules::AlertStatus::Resolved
                        : rules::AlertStatus::Firing;
    notice.time = from_unix_micros(json.at("time_us").get<std::int64_t>());
    notice.escalation_step = json.at("escalation_step").get<std::uint32_t>();
    notice.alert_keys = json.at("alert_keys").get<std::vector<std::string>>();
    notice.agreements = json.at("agreements").get<std::vector<std::string>>();
    notice.providers = json.at("providers").get<std::vector<std::string>>();
    return notice;
}

}  // namespace

RoutedNotification fallback_notice(const RoutedNotification& notice, const Route& route,
                                   const std::string& reason, Timestamp since, Timestamp now) {
    RoutedNotification copy = notice;
    copy.receiver = fallback_receiver(route);
    copy.topic = fmt::format("notify/{}/{}/{}", copy.receiver, notice.rule, notice.group_key);
    copy.notice = notice.notice + "-fallback";
    copy.time = now;
    copy.fallback_for = notice.receiver;
    copy.fallback_reason = reason;
    auto payload = nlohmann::json::parse(notice.payload, nullptr, false);
    if (!payload.is_object()) {
        payload = nlohmann::json::object();  // never: the router wrote it
    }
    payload["receiver"] = copy.receiver;
    payload["ts"] = format_utc(now);
    payload["fallback"] = {
        {"for", notice.receiver}, {"reason", reason}, {"since", format_utc(since)}};
    copy.payload = payload.dump();
    return copy;
}

void DeliveryWatch::presence(const PresenceReport& report, Timestamp at) {
    const std::string receiver = report.receiver();
    auto& known = presence_[receiver];
    if (known.online == report.online && known.since != Timestamp{}) {
        return;  // the same again (a retained copy after a reconnection)
    }
    known = DeskPresence{report.online, at};
    changed_.insert(std::string(kPresencePrefix) + receiver);
    if (!report.online) {
        return;
    }
    for (auto it = waiting_.begin(); it != waiting_.end();) {
        if (it->second.notice.receiver == receiver) {
            changed_.insert(std::string(kUndeliveredPrefix) + it->first);
            it = waiting_.erase(it);
        } else {
            ++it;
        }
    }
}

bool DeliveryWatch::online(const std::string& receiver) const {
    const auto it = presence_.find(receiver);
    return it != presence_.end() && it->second.online;
}

void DeliveryWatch::sent(const RoutedNotification& notice, std::size_t route_index) {
    const Route& route = config_.routes.at(route_index);
    if (!route.fallback || notice.receiver == fallback_receiver(route) || online(notice.receiver)) {
        return;
    }
    const std::string key = fmt::format("{}/{}", notice.id, notice.receiver);
    changed_.insert(std::string(kUndeliveredPrefix) + key);
    // An alert that is over needs nobody to take it over.
    if (notice.status == rules::AlertStatus::Resolved) {
        waiting_.erase(key);
        return;
    }
    auto [it, first] = waiting_.try_emplace(key);
    if (first) {
        it->second.route_index = route_index;
        it->second.since = notice.time;
    }
    it->second.notice = notice;  // the latest says all the earlier did
}

void DeliveryWatch::forget(const std::string& id, const std::string& receiver) {
    const std::string key = fmt::format("{}/{}", id, receiver);
    if (waiting_.erase(key) > 0) {
        changed_.insert(std::string(kUndeliveredPrefix) + key);
    }
}

std::optional<Timestamp> DeliveryWatch::next_due() const {
    std::optional<Timestamp> earliest;
    for (const auto& [key, waiting] : waiting_) {
        const Timestamp due = waiting.since + config_.routes[waiting.route_index].fallback->after;
        if (!earliest || due < *earliest) {
            earliest = due;
        }
    }
    return earliest;
}

void DeliveryWatch::flush_at(Timestamp now, std::vector<RoutedNotification>& out,
                             const std::function<bool(const std::string&)>& still_firing) {
    for (auto it = waiting_.begin(); it != waiting_.end();) {
        const Route& route = config_.routes[it->second.route_index];
        if (it->second.since + route.fallback->after > now) {
            ++it;
            continue;
        }
        if (still_firing(it->second.notice.id)) {
            out.push_back(
                fallback_notice(it->second.notice, route, "no-session", it->second.since, now));
        }
        changed_.insert(std::string(kUndeliveredPrefix) + it->first);
        it = waiting_.erase(it);
    }
}

void DeliveryWatch::take_changed(std::set<std::string>& into) {
    into.merge(changed_);
    changed_.clear();
}

std::optional<std::string> DeliveryWatch::state(const std::string& key) const {
    if (key.starts_with(kPresencePrefix)) {
        const auto it = presence_.find(key.substr(kPresencePrefix.size()));
        if (it == presence_.end()) {
            return std::nullopt;
        }
        return nlohmann::json{{"online", it->second.online},
                              {"since_us", to_unix_micros(it->second.since)}}
            .dump();
    }
    const auto it = waiting_.find(key.substr(kUndeliveredPrefix.size()));
    if (it == waiting_.end()) {
        return std::nullopt;
    }
    return nlohmann::json{{"route", it->second.route_index},
                          {"since_us", to_unix_micros(it->second.since)},
                          {"notice", notice_json(it->second.notice)}}
        .dump();
}

bool DeliveryWatch::restore(const std::string& key, const std::string& state,
                            std::string& problem) {
    const auto json = nlohmann::json::parse(state, nullptr, false);
    if (!json.is_object()) {
        problem = "its state is not JSON";
        return false;
    }
    try {
        if (key.starts_with(kPresencePrefix)) {
            presence_[key.substr(kPresencePrefix.size())] =
                DeskPresence{json.at("online").get<bool>(),
                             from_unix_micros(json.at("since_us").get<std::int64_t>())};
            return true;
        }
        Undelivered waiting{json.at("route").get<std::size_t>(),
                            from_unix_micros(json.at("since_us").get<std::int64_t>()),
                            notice_from_json(json.at("notice"))};
        if (waiting.route_index >= config_.routes.size() ||
            config_.routes[waiting.route_index].recipient != waiting.notice.recipient ||
            !config_.routes[waiting.route_index].fallback) {
            problem = fmt::format("the route of '{}' with a fallback is no longer configured",
                                  waiting.notice.recipient);
            return false;
        }
        waiting_[key.substr(kUndeliveredPrefix.size())] = std::move(waiting);
        return true;
    } catch (const nlohmann::json::exception& error) {
        problem = fmt::format("its state cannot be read: {}", error.what());
        return false;
    }
}

}  // namespace passerelle::routing
