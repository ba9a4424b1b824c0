// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/agreement_calendar.h"

#include <fmt/format.h>

namespace passerelle::daemon {
namespace {

std::string parties(const Agreement& agreement) {
    return fmt::format("{} → {}, {}", agreement.from, fmt::join(agreement.to, " "),
                       fmt::join(agreement.data, " "));
}

}  // namespace

std::vector<std::string> AgreementCalendar::update(Timestamp now) {
    std::vector<std::string> lines;
    for (const Agreement& agreement : agreements_) {
        const bool ended = agreement.valid_until && now >= *agreement.valid_until;
        const bool waiting = agreement.valid_from && now < *agreement.valid_from;
        if (ended && ended_.insert(agreement.id).second) {
            lines.push_back(fmt::format(
                "sharing agreement '{}' ({}) ended on {}: the notifications it allowed are no "
                "longer sent",
                agreement.id, parties(agreement), agreement.valid_until_text));
        }
        if (waiting) {
            if (not_started_.insert(agreement.id).second && first_) {
                lines.push_back(fmt::format("sharing agreement '{}' ({}) starts on {}",
                                            agreement.id, parties(agreement),
                                            agreement.valid_from_text));
            }
        } else if (not_started_.erase(agreement.id) > 0) {
            lines.push_back(fmt::format("sharing agreement '{}' ({}) is in force from today, {}",
                                        agreement.id, parties(agreement),
                                        agreement.valid_from_text));
        }
    }
    first_ = false;
    return lines;
}

nlohmann::json AgreementCalendar::to_json() const {
    return {{"in_force", agreements_.size() - ended_.size() - not_started_.size()},
            {"ended", ended_},
            {"not_started", not_started_}};
}

}  // namespace passerelle::daemon
