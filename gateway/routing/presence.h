// SPDX-License-Identifier: Apache-2.0
// Presence: a recipient's client says, on its own topic, whether it holds a session at the broker
// (retained "online" on connecting, "offline" as its will). Routes with a fallback rely on it to
// tell a notice that reached a desk from one that waits at the broker for nobody.
#pragma once

#include <string>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::routing {

struct PresenceReport {
    std::string recipient;
    std::string desk;  // empty: the recipient's own topic level
    bool online = false;

    /// "ccas" or "ccas/astreinte", as receivers are named.
    std::string receiver() const;
};

/// Whether the topic is a presence topic: notify/<recipient>/presence, or
/// notify/<recipient>/<desk>/presence for one of its desks.
bool is_presence_topic(std::string_view topic);

/// `online` or `offline`, as text, as a JSON string or as {"state": "online"}; an empty payload
/// (a retained presence cleared) reads offline. Errors: presence.bad-topic, presence.bad-state.
Result<PresenceReport> parse_presence(std::string_view topic, std::string_view payload);

}  // namespace passerelle::routing
