// SPDX-License-Identifier: Apache-2.0
// Placeholders of a group rule's messages: {{group_count}} of {{group_size}} dwellings…
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "rules/engine/alert_event.h"
#include "rules/template/template.h"

namespace passerelle::rules {

/// group_size and group_known; with `counts` (the rule counts members with group_count or
/// group_share), also group_count, group_share, group_percent and group_entities.
std::vector<PlaceholderSpec> group_placeholders(bool counts);

/// The value of a group placeholder for `event`; nullopt when `name` is not one.
std::optional<Value> group_placeholder_value(const AlertEvent& event, std::string_view name);

}  // namespace passerelle::rules
