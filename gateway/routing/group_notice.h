// SPDX-License-Identifier: Apache-2.0
// What a route's group says when it is sent: the notice's topic, its JSON and what the outbox
// and the audit log record of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/time.h"
#include "gateway/routing/route_group.h"

namespace passerelle::routing {

/// One grouped notice, ready for the outbox.
struct RoutedNotification {
    std::string recipient;  // the stakeholder
    std::string receiver;   // "ccas" or "ccas/astreinte"
    std::string topic;      // notify/<recipient>[/<desk>]/<rule>/<group key>
    std::string payload;    // JSON object (schemas/routed-notification.schema.json)
    std::string rule;
    std::string group_key;
    std::string id;      // the group's id: stable for the group's life
    std::string notice;  // "group-1", "group-2"…: one per notice of the group
    rules::AlertStatus status = rules::AlertStatus::Firing;
    Timestamp time;
    std::uint32_t escalation_step = 0;    // 1, 2…: a notice sent to an escalation step's desk
    std::vector<std::string> alert_keys;  // of the alerts it lists, in order
    std::vector<std::string> agreements;  // every agreement one of its alerts came under
    std::vector<std::string> providers;   // every party whose data one of its alerts carries
    /// A fallback copy: the desk that did not get the notice, and why ("no-session", "refused").
    std::string fallback_for;
    std::string fallback_reason;
};

/// The notice of `group` as it stands, for `receiver` ("ccas" or "ccas/astreinte"), at `now`;
/// `step`: of an escalation, 0 for the group's own desk. Muted alerts are left out.
RoutedNotification group_notice(const RouteGroup& group, const std::string& receiver, Timestamp now,
                                std::uint32_t step);

}  // namespace passerelle::routing
