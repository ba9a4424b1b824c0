// SPDX-License-Identifier: Apache-2.0
// The router: notifications of routed recipients are held in groups and sent as one notice per
// group, when the group's timers and the desks' hours say so; unacknowledged, a group's notice
// escalates along the route's steps. Time is the rules' own (rule time), so that tests and
// replays route as the live gateway does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"
#include "gateway/routing/acknowledgement.h"
#include "gateway/routing/delivery_watch.h"
#include "gateway/routing/group_notice.h"
#include "gateway/routing/route.h"
#include "gateway/routing/route_group.h"
#include "gateway/routing/silence.h"
#include "rules/actions/notification.h"
#include "rules/engine/alert_event.h"

namespace passerelle::routing {

/// What an acknowledgement took: the group, and whether it was acknowledged before.
struct AcknowledgedGroup {
    std::string rule;
    std::string group_key;
    std::string id;
    bool again = false;
};

/// A label of an alert as routes match and group on it: rule, key, entity, building,
/// served_by (what supplies the entity or its building), provider, severity, or one of the
/// rule's labels; empty when it has none.
std::string alert_label(const rules::AlertEvent& event, const Territory& territory,
                        const std::string& name);
/// All of them that have a value.
AlertLabels alert_labels(const rules::AlertEvent& event, const Territory& territory);

class Router {
public:
    Router(RoutingConfig config, const Territory& territory, TimeZone zone);
    Router(const Router&) = delete;  // groups point into its routes
    Router& operator=(const Router&) = delete;

    /// Every transition, routed or not: an alert that fires or ends may mute or release others
    /// (the configuration's inhibitions).
    void observe(const rules::AlertEvent& event);
    /// The route that takes this notification, or null: it is then sent as planned.
    const Route* route_of(const rules::AlertEvent& event,
                          const rules::Notification& notification) const;
    /// Holds a notification in its group, to be sent by flush_before().
    void accept(const Route& route, const rules::AlertEvent& event,
                const rules::Notification& notification);
    /// The notices due before `until`, each sent at the time it fell due, in that order. One due
    /// at a reading's time waits for that reading: changes of one instant go out together.
    void flush_before(Timestamp until, std::vector<RoutedNotification>& out);
    /// When the next notice falls due; none while no group waits.
    std::optional<Timestamp> next_due() const;
    std::size_t group_count() const { return groups_.size(); }

    /// Someone of the recipient took charge, at `now`: reminders and escalation stop, and the
    /// group's desk is told who. Error ack.unknown-alert when no group of that recipient holds
    /// the id (its alerts may have ended).
    Result<AcknowledgedGroup> acknowledge(const Acknowledgement& ack, Timestamp now);
    /// The id of the recipient's group of `rule` and `group_key`, while it exists.
    std::optional<std::string> group_id(const std::string& recipient, const std::string& rule,
                                        const std::string& group_key) const;

    /// A recipient's new silence: its routed alerts that match leave the notices (no reminder,
    /// no escalation) until it ends; those still firing then are told.
    void add_silence(Silence silence);
    /// Ends the recipient's silence `id` at `now`. Error silence.unknown when it has none such.
    Result<Silence> expire_silence(const std::string& recipient, const std::string& id,
                                   Timestamp now);
    /// The silences in force, by id.
    std::vector<Silence> silences() const;

    /// A desk's client said whether it holds a session at the broker, at `now`.
    void presence(const PresenceReport& report, Timestamp now) { watch_.presence(report, now); }
    /// Notices waiting for a desk without a session, before their fallback.
    std::size_t undelivered_count() const { return watch_.waiting_count(); }
    /// The broker refused a notice (`payload` as sent; what the outbox recorded of it): its copy
    /// for the route's fallback desk, at `now`, which no longer waits for its desk; none when it
    /// is not a routed notice, or its route has no fallback, or it was for the fallback desk.
    std::optional<RoutedNotification> refused(const std::string& payload,
                                              std::vector<std::string> agreements,
                                              std::vector<std::string> providers, Timestamp now);

    /// The keys of the groups that changed (or ended) since the last call: what the store must
    /// write again.
    std::vector<std::string> take_changed_groups();
    /// A group's state as JSON, for the store; none when it has ended.
    std::optional<std::string> group_state(const std::string& key) const;
    /// Takes back a group as the store kept it. False, with the reason, when it cannot be read or
    /// its route is no longer configured (the configuration changed between the runs).
    bool restore_group(const std::string& key, const std::string& state, std::string& problem);

private:
    /// Whether an alert of these labels is muted, for `recipient`: by a firing source alert, or
    /// by one of the recipient's silences.
    bool muted(const std::string& recipient, const AlertLabels& labels) const;
    /// After a source alert or a silence came or went: which held alerts are muted now. A
    /// released alert that still fires is a change to tell.
    void recheck_muted(Timestamp at);
    const Receiver* receiver_at(const Route& route, Timestamp now) const;
    std::optional<Timestamp> next_opening(const Route& route, Timestamp now) const;
    /// Sends, at `now`, what the groups owe by then.
    void flush_at(Timestamp now, std::vector<RoutedNotification>& out);
    /// The group's notice for `receiver` (`step`: of an escalation, 0 for its own desk).
    RoutedNotification notice(RouteGroup& group, const Receiver& receiver, Timestamp now,
                              std::uint32_t step) const;

    RoutingConfig config_;
    DeliveryWatch watch_{config_};  // of the routes with a fallback
    const Territory& territory_;
    TimeZone zone_;
    std::map<std::string, RouteGroup> groups_;  // by route index, rule and group key
    std::set<std::string> changed_;             // groups the store has not seen as they are
    std::map<std::string, AlertLabels> sources_;  // firing alerts that mute others, by alert id
    std::map<std::string, Silence> silences_;     // in force, by id
};

}  // namespace passerelle::routing
