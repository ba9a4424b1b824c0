// SPDX-License-Identifier: Apache-2.0
// Delivery watch: a route with a fallback follows each of its notices until its desk holds a
// session at the broker. A notice whose desk stays away longer than the route's bound, or that
// the broker refuses, goes to the route's fallback desk, saying for whom and why.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/core/time.h"
#include "gateway/routing/group_notice.h"
#include "gateway/routing/presence.h"
#include "gateway/routing/route.h"

namespace passerelle::routing {

/// The latest notice of a group to a desk without a session, waiting for it.
struct Undelivered {
    std::size_t route_index = 0;
    Timestamp since;  // when the first of them went out
    RoutedNotification notice;
};

/// What a desk's client last said of its session.
struct DeskPresence {
    bool online = false;
    Timestamp since;
};

/// The fallback desk's copy of `notice`, which its own desk did not get: `reason` is
/// "no-session" or "refused", `since` when the desk was first sent what it missed.
RoutedNotification fallback_notice(const RoutedNotification& notice, const Route& route,
                                   const std::string& reason, Timestamp since, Timestamp now);

class DeliveryWatch {
public:
    explicit DeliveryWatch(const RoutingConfig& config) : config_(config) {}

    /// A desk's client said whether it holds a session, at `at`. Online, the notices that waited
    /// for it are delivered: its session at the broker kept them.
    void presence(const PresenceReport& report, Timestamp at);
    /// Unknown desks have never said they were online.
    bool online(const std::string& receiver) const;
    /// A notice just went out: followed when its route has a fallback, its desk is not the
    /// fallback's, and the desk has no session.
    void sent(const RoutedNotification& notice, std::size_t route_index);
    /// The notices of group `id` to `receiver` no longer wait: the broker refused them.
    void forget(const std::string& id, const std::string& receiver);
    std::size_t waiting_count() const { return waiting_.size(); }
    /// When the next notice waits too long; none while none waits.
    std::optional<Timestamp> next_due() const;
    /// The fallback copies of the notices that waited too long by `now`; those of groups whose
    /// alerts have all ended since (`still_firing` of the group's id is false) are dropped.
    void flush_at(Timestamp now, std::vector<RoutedNotification>& out,
                  const std::function<bool(const std::string&)>& still_firing);

    /// Keys of what changed since the last call (under the prefixes below), for the store.
    void take_changed(std::set<std::string>& into);
    std::optional<std::string> state(const std::string& key) const;
    bool restore(const std::string& key, const std::string& state, std::string& problem);

    static constexpr std::string_view kPresencePrefix = "presence/";
    static constexpr std::string_view kUndeliveredPrefix = "undelivered/";

private:
    const RoutingConfig& config_;
    std::map<std::string, DeskPresence> presence_;  // by receiver, "ccas/astreinte"
    std::map<std::string, Undelivered> waiting_;    // by "<group id>/<receiver>"
    std::set<std::string> changed_;
};

}  // namespace passerelle::routing
