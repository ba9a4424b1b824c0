// SPDX-License-Identifier: Apache-2.0
// What the outbox and the audit log both say of a notification: to whom, from which rule and
// alert, which notice of the alert, carrying whose data, on which topic.
#pragma once

#include <string>
#include <vector>

namespace passerelle::store {

struct NotificationRecord {
    std::string recipient;
    std::string rule;
    std::string alert_id;
    std::string notice;  // firing, resolved, flapping, firing-repeat-N: one notification per alert
    std::vector<std::string> providers;  // the parties whose data it carries
    std::string topic;
    /// The sharing agreements that let its data reach the recipient; none for its own data.
    std::vector<std::string> agreements = {};
};

}  // namespace passerelle::store
