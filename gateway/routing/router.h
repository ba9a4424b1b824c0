// SPDX-License-Identifier: Apache-2.0
// The router: notifications of routed recipients are held in groups and sent as one notice per
// group, when the group's timers and the desks' hours say so. Time is the rules' own (rule
// time), so that tests and replays route as the live gateway does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"
#include "gateway/routing/route.h"
#include "rules/actions/notification.h"
#include "rules/engine/alert_event.h"

namespace passerelle::routing {

/// One grouped notice, ready for the outbox.
struct RoutedNotification {
    std::string recipient;  // the stakeholder
    std::string receiver;   // "ccas" or "ccas/astreinte"
    std::string topic;      // notify/<recipient>[/<desk>]/<rule>/<group key>
    std::string payload;    // JSON object (schemas/notification.schema.json, grouped form)
    std::string rule;
    std::string group_key;
    std::string id;      // the group's id: stable for the group's life
    std::string notice;  // "group-1", "group-2"…: one per notice of the group
    rules::AlertStatus status = rules::AlertStatus::Firing;
    Timestamp time;
    std::vector<std::string> alert_keys;  // of the alerts it lists, in order
    std::vector<std::string> agreements;  // every agreement one of its alerts came under
    std::vector<std::string> providers;   // every party whose data one of its alerts carries
};

/// A label of an alert as routes match and group on it: rule, key, entity, building, provider,
/// severity, or one of the rule's labels; empty when it has none.
std::string alert_label(const rules::AlertEvent& event, const Territory& territory,
                        const std::string& name);

class Router {
public:
    Router(RoutingConfig config, const Territory& territory, TimeZone zone);
    Router(const Router&) = delete;  // groups point into its routes
    Router& operator=(const Router&) = delete;

    /// The route that takes this notification, or null: it is then sent as planned.
    const Route* route_of(const rules::AlertEvent& event,
                          const rules::Notification& notification) const;
    /// Holds a notification in its group, to be sent by flush_due().
    void accept(const Route& route, const rules::AlertEvent& event,
                const rules::Notification& notification);
    /// The notices due by `now`, in the order they fell due.
    void flush_due(Timestamp now, std::vector<RoutedNotification>& out);
    /// When the next notice falls due; none while no group waits.
    std::optional<Timestamp> next_due() const;
    std::size_t group_count() const { return groups_.size(); }
    const RoutingConfig& config() const { return config_; }

private:
    struct HeldAlert {
        std::string id;
        std::string key;
        rules::AlertStatus status = rules::AlertStatus::Firing;
        nlohmann::json body;  // the alert's own notification, as planned for this recipient
        std::vector<std::string> agreements;
        std::vector<std::string> providers;
    };
    struct Group {
        const Route* route = nullptr;
        std::string rule;
        std::string key;
        std::vector<std::string> values;  // of the route's group_by labels
        std::string id;
        Timestamp created;
        std::optional<Timestamp> last_sent;
        /// When an alert first came, went or changed status since the last notice.
        std::optional<Timestamp> changed_at;
        std::uint32_t sequence = 0;
        std::uint32_t repeats = 0;  // notices sent again unchanged since the last change
        std::optional<Timestamp> waiting_until;  // no desk's hours hold before then
        std::vector<HeldAlert> alerts;
    };

    std::optional<Timestamp> due(const Group& group) const;
    const Receiver* receiver_at(const Route& route, Timestamp now) const;
    std::optional<Timestamp> next_opening(const Route& route, Timestamp now) const;
    RoutedNotification notice(Group& group, const Receiver& receiver, Timestamp now) const;

    RoutingConfig config_;
    const Territory& territory_;
    TimeZone zone_;
    std::map<std::string, Group> groups_;  // by route index, rule and group key
};

}  // namespace passerelle::routing
