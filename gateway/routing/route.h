// SPDX-License-Identifier: Apache-2.0
// Routes (`routing:` in passerelle.yaml): how one recipient's notifications are grouped, when
// they are sent again, and which of its desks receives them at which hours.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"
#include "gateway/routing/inhibition.h"
#include "gateway/routing/time_interval.h"

namespace passerelle::routing {

/// One desk of the recipient and when it takes the route's notifications. The recipient's own
/// topic level when `desk` is empty (notify/<recipient>/<rule>/<key>); otherwise a level more,
/// notify/<recipient>/<desk>/<rule>/<key>, which that desk subscribes to.
struct Receiver {
    std::string desk;
    std::string interval;  // a time interval's id; empty: at any time
    bool outside = false;  // takes the notifications when the interval does not hold
    SourceSpan span;
};

/// An escalation step: when the route's notice has waited this long (from its first notice)
/// without an acknowledgement, it goes to this desk of the recipient as well.
struct EscalationStep {
    Duration after{0};
    std::string desk;
    SourceSpan span;
};

/// Where a notice goes when its desk holds no session at the broker for this long (the desk's
/// client says so on notify/<recipient>[/<desk>]/presence), or when the broker refuses it.
struct Fallback {
    std::string desk;
    Duration after{0};
    SourceSpan span;
};

struct Route {
    std::string recipient;           // a stakeholder
    std::vector<std::string> rules;  // the rules it takes; all the recipient's when empty
    /// Labels the alert must carry: severity, provider, entity, building, key, or the rule's.
    std::map<std::string, std::string> match;
    /// One notification per distinct value of these labels (and per rule); every alert of the
    /// rule in one when empty.
    std::vector<std::string> group_by;
    Duration group_wait = std::chrono::seconds(30);     // from a group's first alert
    Duration group_interval = std::chrono::minutes(5);  // between notices of a group's changes
    /// While alerts of a group fire, its notice again after this long; never when empty.
    std::optional<Duration> repeat_interval = std::chrono::hours(4);
    /// The first whose hours hold takes the notification; when none does, it waits for one.
    /// Empty: the recipient's own topic level, at any time.
    std::vector<Receiver> receivers;
    /// Steps in order of `after`, which grows; none: no escalation.
    std::vector<EscalationStep> escalation;
    /// None: a notice is the broker's to deliver, whenever its desk comes.
    std::optional<Fallback> fallback;
    SourceSpan span;
};

struct RoutingConfig {
    std::vector<TimeInterval> intervals;
    std::vector<Route> routes;
    std::vector<Inhibition> inhibitions;

    const TimeInterval* find_interval(std::string_view id) const;
};

/// "ccas", or "ccas/astreinte" for a desk: how logs, tests and the notification name it.
std::string receiver_name(const std::string& recipient, const Receiver& receiver);
/// "ccas/standard": the route's fallback desk, as receivers are named. The route has one.
std::string fallback_receiver(const Route& route);

}  // namespace passerelle::routing
