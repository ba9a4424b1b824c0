// SPDX-License-Identifier: Apache-2.0
// What the store records of each notification of an alert transition, and the identity that lets
// a restarted gateway recognise a notification it had already queued or sent.
#pragma once

#include <vector>

#include "gateway/store/notification_record.h"
#include "rules/actions/notification.h"
#include "rules/engine/alert_event.h"

namespace passerelle::daemon {

/// One record per notification, in order. The notice names the transition ("firing",
/// "resolved", "flapping", "firing-repeat-2"), with "/2", "/3"… when one recipient gets several
/// notifications of it (one per building a substation serves): the same every time the rules
/// decide it, live or after a restart. Providers: the parties whose readings it reports.
std::vector<store::NotificationRecord> notification_records(
    const rules::AlertEvent& event, const std::vector<rules::Notification>& notifications);

}  // namespace passerelle::daemon
