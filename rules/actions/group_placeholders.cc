// SPDX-License-Identifier: Apache-2.0
#include "rules/actions/group_placeholders.h"

#include <fmt/format.h>

namespace passerelle::rules {

std::vector<PlaceholderSpec> group_placeholders(bool counts) {
    std::vector<PlaceholderSpec> names{{"group_size", ValueKind::Number},
                                       {"group_known", ValueKind::Number}};
    if (counts) {
        names.insert(names.end(), {{"group_count", ValueKind::Number},
                                   {"group_share", ValueKind::Number},
                                   {"group_percent", ValueKind::Number},
                                   {"group_entities", ValueKind::Text}});
    }
    return names;
}

std::optional<Value> group_placeholder_value(const AlertEvent& event, std::string_view name) {
    if (!event.group || !name.starts_with("group_")) {
        return std::nullopt;
    }
    const GroupFacts& group = *event.group;
    const double share =
        group.size == 0 ? 0.0 : static_cast<double>(group.count) / static_cast<double>(group.size);
    if (name == "group_size") {
        return static_cast<double>(group.size);
    }
    if (name == "group_known") {
        return static_cast<double>(group.known);
    }
    if (name == "group_count") {
        return static_cast<double>(group.count);
    }
    if (name == "group_share") {
        return share;
    }
    if (name == "group_percent") {
        return share * 100;
    }
    if (name == "group_entities") {
        std::string text = fmt::format("{}", fmt::join(group.counted, ", "));
        if (group.count > group.counted.size()) {
            text += fmt::format(" … (+{})", group.count - group.counted.size());
        }
        return text;
    }
    return std::nullopt;
}

}  // namespace passerelle::rules
