// SPDX-License-Identifier: Apache-2.0
// Actions the sharing agreements stop: a notify action whose data no current agreement lets
// reach a recipient (the agreement has ended, or not started). Each one is logged once when it
// stops and once when it sends again, and listed in the gateway's statistics meanwhile.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "rules/actions/notification.h"

namespace passerelle::daemon {

class DisabledActions {
public:
    /// A notification of `rule`'s action was not sent; true when that action and recipient were
    /// not stopped already (the caller logs it then).
    bool stopped(const std::string& rule, const rules::BlockedNotification& blocked, Timestamp at);
    /// A notification of that action reached `recipient`: false unless it had been stopped.
    bool sent(const std::string& rule, std::size_t action, const std::string& recipient);
    /// Notifications not sent for want of an agreement since the start.
    std::uint64_t blocked_total() const { return blocked_total_; }
    /// [{rule, action, recipient, provider, data, reason, agreement, since, blocked}].
    nlohmann::json to_json() const;

private:
    struct Entry {
        rules::BlockedNotification why;
        std::string agreement;  // its id: the territory's agreements may be reloaded
        Timestamp since;
        std::uint64_t blocked = 0;
    };
    std::map<std::tuple<std::string, std::size_t, std::string>, Entry> entries_;
    std::uint64_t blocked_total_ = 0;
};

/// "the agreement 'canicule-hs' ended on 2026-09-30", "no agreement covers it": for logs.
std::string refusal_reason(const FlowCheck& check);

}  // namespace passerelle::daemon
