// SPDX-License-Identifier: Apache-2.0
// The sharing agreements' dates as rule time passes them: an agreement that ends, or comes into
// force, is said in the log on that date, not only when a notification first needs it, and the
// statistics list the agreements out of their dates.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/agreement.h"

namespace passerelle::daemon {

class AgreementCalendar {
public:
    /// `agreements` must outlive the calendar.
    explicit AgreementCalendar(const std::vector<Agreement>& agreements)
        : agreements_(agreements) {}

    /// What changed since the last call, at rule time `now`: one line per agreement that ended
    /// or came into force. The first call says only which have ended or not started yet.
    std::vector<std::string> update(Timestamp now);
    /// {"in_force": n, "ended": [ids], "not_started": [ids]}, as of the last update().
    nlohmann::json to_json() const;

private:
    const std::vector<Agreement>& agreements_;
    std::set<std::string> ended_;
    std::set<std::string> not_started_;
    bool first_ = true;
};

}  // namespace passerelle::daemon
