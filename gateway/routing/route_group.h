// SPDX-License-Identifier: Apache-2.0
// One group of a route: the alerts it holds, what it has told and when it is due again, and its
// state as the store keeps it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/time.h"
#include "gateway/routing/inhibition.h"
#include "gateway/routing/route.h"
#include "rules/engine/alert_event.h"

namespace passerelle::routing {

struct HeldAlert {
    std::string id;
    std::string key;
    rules::AlertStatus status = rules::AlertStatus::Firing;
    nlohmann::json body;  // the alert's own notification, as planned for this recipient
    std::vector<std::string> agreements;
    std::vector<std::string> providers;
    AlertLabels labels;  // what inhibitions are checked on
    bool muted = false;  // an inhibition leaves it out of the notices

    bool active() const { return status != rules::AlertStatus::Resolved; }
};

/// Someone of the recipient took charge of the group's alerts.
struct GroupAcknowledgement {
    std::string by;
    std::string comment;
    Timestamp at;
};

struct RouteGroup {
    const Route* route = nullptr;
    std::size_t route_index = 0;
    std::string rule;
    std::string key;
    std::vector<std::string> values;  // of the route's group_by labels
    std::string id;
    Timestamp created;
    std::optional<Timestamp> last_sent;
    /// When an alert first came, went or changed status since the last notice.
    std::optional<Timestamp> changed_at;
    std::uint32_t sequence = 0;              // notices sent, escalations included
    std::uint32_t repeats = 0;               // notices sent again unchanged since the last change
    std::optional<Timestamp> waiting_until;  // no desk's hours hold before then
    std::optional<GroupAcknowledgement> acknowledged;
    bool acknowledgement_untold = false;  // the desks have not been told of it yet
    /// Since when its firing alerts wait for an acknowledgement: from the first notice of them.
    std::optional<Timestamp> unacknowledged_since;
    std::uint32_t escalated = 0;  // escalation steps taken
    std::vector<HeldAlert> alerts;

    /// Whether an alert the notices show (not muted) still fires.
    bool any_active() const;
    bool any_shown() const;
    /// When its next notice to its desk is due: after group_wait or group_interval for a change,
    /// at once for an acknowledgement, repeat_interval after the last notice otherwise.
    std::optional<Timestamp> notice_due() const;
    /// When its next escalation step is due: none once acknowledged, or without steps left.
    std::optional<Timestamp> escalation_due() const;
    std::optional<Timestamp> due() const;

    /// An alert joined, ended, or fires again: a change to tell, and, when it fires in an
    /// acknowledged group, a new acknowledgement to ask.
    void changed(Timestamp at, bool needs_acknowledgement);
};

/// The group as the store keeps it (JSON text).
std::string to_state(const RouteGroup& group);
/// The group back from the store, its route taken from `config`. Empty, with the reason in
/// `problem`, when the state cannot be read or its route is no longer configured.
std::optional<RouteGroup> from_state(const std::string& state, const RoutingConfig& config,
                                     std::string& problem);

}  // namespace passerelle::routing
