// SPDX-License-Identifier: Apache-2.0
// The notify action: an alert transition becomes one JSON notification per recipient (DESIGN §2).
#pragma once

#include <string>
#include <vector>

#include "gateway/core/territory.h"
#include "rules/engine/alert_event.h"
#include "rules/template/template.h"

namespace passerelle::rules {

struct Notification {
    std::string recipient;
    std::string topic;    // notify/<recipient>/<rule-id>/<key>
    std::string payload;  // JSON object
    std::string alert_id;
    /// The sharing agreements that allowed the data it carries to reach the recipient; none
    /// when it carries only the recipient's own data.
    std::vector<std::string> agreements;
    std::size_t action = 0;  // index in the rule's actions
    /// The parties whose data it carries: the reading's, the joined topics', the attributes'.
    std::vector<std::string> providers = {};
};

/// A notification not sent: some data it would carry has no current agreement for its
/// recipient (an agreement that ended, or starts later).
struct BlockedNotification {
    std::string recipient;
    std::size_t action = 0;  // index in the rule's actions
    DataFlow flow;           // the first flow refused
    FlowCheck check;
};

/// Placeholders a notify template may use, with what they hold.
const std::vector<PlaceholderSpec>& notification_placeholders();

/// Placeholders naming a related entity's field, for the fields `fields` (id, type, provider and
/// the registry's attributes): `building.<field>`, the entity's building, and, for recipients
/// only, `served.<field>`, every entity the alert's entity serves (one notification each).
std::vector<PlaceholderSpec> relation_placeholders(const Territory& territory, bool with_served);

/// A field of an entity by the name templates use: id, type, provider, building or an attribute.
std::optional<Value> entity_field(const Entity& entity, std::string_view field);

/// Value of a placeholder for an event: the reading's fields, the alert's times and duration (in
/// seconds: the template prints them), the episode's extremes (empty before any number).
Value placeholder_value(const AlertEvent& event, std::string_view name);
/// The same, with the reading fields taken from `reading` instead of the event's latest reading.
Value placeholder_value(const AlertEvent& event, const Reading& reading, std::string_view name);

/// The notifications of one transition, for the actions selected in `event.actions`. A recipient
/// that renders to an undeclared stakeholder is skipped and reported in `skipped`. Each
/// notification carries only data its recipient may receive at the event's time: one whose
/// data no agreement covers then is not sent, and reported in `blocked` when given; entity
/// attributes the recipient may not receive (personal data of another party) are left out.
std::vector<Notification> plan_notifications(const AlertEvent& event, const Territory& territory,
                                             std::vector<std::string>& skipped,
                                             std::vector<BlockedNotification>* blocked = nullptr);

}  // namespace passerelle::rules
