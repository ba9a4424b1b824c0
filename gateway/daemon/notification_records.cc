// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/notification_records.h"

#include <algorithm>
#include <map>
#include <string>

#include <fmt/format.h>

#include "rules/compiler/rule_set.h"

namespace passerelle::daemon {
namespace {

std::string transition_notice(const rules::AlertEvent& event) {
    std::string notice = rules::to_string(event.status);
    if (event.status == rules::AlertStatus::Firing && event.repeat > 0) {
        notice += fmt::format("-repeat-{}", event.repeat);
    }
    return notice;
}

std::vector<std::string> providers_of(const rules::AlertEvent& event) {
    std::vector<std::string> providers;
    for (const Reading* reading : {&event.firing_reading, &event.reading}) {
        if (!reading->provider.empty() &&
            std::find(providers.begin(), providers.end(), reading->provider) == providers.end()) {
            providers.push_back(reading->provider);
        }
    }
    return providers;
}

}  // namespace

std::vector<store::NotificationRecord> notification_records(
    const rules::AlertEvent& event, const std::vector<rules::Notification>& notifications) {
    const std::string notice = transition_notice(event);
    const std::vector<std::string> providers = providers_of(event);
    std::map<std::string, int> per_recipient;
    std::vector<store::NotificationRecord> records;
    records.reserve(notifications.size());
    for (const rules::Notification& notification : notifications) {
        const int ordinal = ++per_recipient[notification.recipient];
        records.push_back(store::NotificationRecord{
            notification.recipient, event.rule->id, notification.alert_id,
            ordinal == 1 ? notice : fmt::format("{}/{}", notice, ordinal),
            notification.providers.empty() ? providers : notification.providers, notification.topic,
            notification.agreements});
    }
    return records;
}

}  // namespace passerelle::daemon
