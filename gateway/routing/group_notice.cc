// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/group_notice.h"

#include <algorithm>

#include <fmt/format.h>

namespace passerelle::routing {
namespace {

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (std::find(to.begin(), to.end(), name) == to.end()) {
            to.push_back(name);
        }
    }
}

}  // namespace

RoutedNotification group_notice(const RouteGroup& group, const std::string& receiver, Timestamp now,
                                std::uint32_t step) {
    const Route& route = *group.route;
    RoutedNotification routed;
    routed.recipient = route.recipient;
    routed.receiver = receiver;
    routed.rule = group.rule;
    routed.group_key = group.key;
    routed.id = group.id;
    routed.notice = fmt::format("group-{}", group.sequence);
    routed.time = now;
    routed.escalation_step = step;
    routed.topic = fmt::format("notify/{}/{}/{}", routed.receiver, group.rule, group.key);
    std::size_t firing = 0;
    nlohmann::json alerts = nlohmann::json::array();
    std::string message;
    std::size_t shown = 0;
    for (const HeldAlert& alert : group.alerts) {
        if (alert.muted) {
            continue;
        }
        ++shown;
        firing += alert.active() ? 1 : 0;
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
                           {"count", shown},
                           {"firing", firing},
                           {"resolved", shown - firing},
                           {"message", message},
                           {"alerts", std::move(alerts)},
                           {"ts", format_utc(now)},
                           {"notice", group.sequence}};
    if (group.repeats > 0 && step == 0) {
        payload["repeat"] = group.repeats;
    }
    if (group.acknowledged) {
        payload["acknowledged"] = {{"by", group.acknowledged->by},
                                   {"at", format_utc(group.acknowledged->at)}};
        if (!group.acknowledged->comment.empty()) {
            payload["acknowledged"]["comment"] = group.acknowledged->comment;
        }
    }
    if (step > 0) {
        payload["escalation"] = {{"step", step},
                                 {"of", route.escalation.size()},
                                 {"unacknowledged_since", format_utc(*group.unacknowledged_since)}};
    }
    routed.payload = payload.dump();
    return routed;
}

}  // namespace passerelle::routing
