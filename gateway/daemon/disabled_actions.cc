// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/disabled_actions.h"

#include <fmt/format.h>

namespace passerelle::daemon {

bool DisabledActions::stopped(const std::string& rule, const rules::BlockedNotification& blocked,
                              Timestamp at) {
    ++blocked_total_;
    auto [it, inserted] = entries_.try_emplace({rule, blocked.action, blocked.recipient});
    Entry& entry = it->second;
    if (inserted) {
        entry.since = at;
    }
    entry.why = blocked;
    entry.agreement = blocked.check.agreement != nullptr ? blocked.check.agreement->id : "";
    entry.why.check.agreement = nullptr;  // not kept: a reload may free it
    ++entry.blocked;
    return inserted;
}

bool DisabledActions::sent(const std::string& rule, std::size_t action,
                           const std::string& recipient) {
    return entries_.erase({rule, action, recipient}) > 0;
}

nlohmann::json DisabledActions::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [key, entry] : entries_) {
        const auto& [rule, action, recipient] = key;
        const char* reason = entry.why.check.verdict == FlowVerdict::Expired       ? "expired"
                             : entry.why.check.verdict == FlowVerdict::NotYetValid ? "not-started"
                                                                                   : "no-agreement";
        list.push_back({{"rule", rule},
                        {"action", action + 1},
                        {"recipient", recipient},
                        {"provider", entry.why.flow.provider},
                        {"data", entry.why.flow.data},
                        {"reason", reason},
                        {"agreement", entry.agreement.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(entry.agreement)},
                        {"since", format_utc(entry.since)},
                        {"blocked", entry.blocked}});
    }
    return list;
}

std::string refusal_reason(const FlowCheck& check) {
    switch (check.verdict) {
        case FlowVerdict::Expired:
            return fmt::format("the agreement '{}' ended on {}", check.agreement->id,
                               check.agreement->valid_until_text);
        case FlowVerdict::NotYetValid:
            return fmt::format("the agreement '{}' starts on {}", check.agreement->id,
                               check.agreement->valid_from_text);
        case FlowVerdict::Missing:
        case FlowVerdict::Own:
        case FlowVerdict::Covered:
            break;
    }
    return "no agreement covers it";
}

}  // namespace passerelle::daemon
