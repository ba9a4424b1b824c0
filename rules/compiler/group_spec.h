// SPDX-License-Identifier: Apache-2.0
// Functions over the members of a rule's group, as a condition names them: group_share(value >=
// 28).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/time.h"
#include "rules/expr/program.h"

namespace passerelle::rules {

enum class GroupFunction : std::uint8_t { Count, Share, Size, Known, Avg, Min, Max };

/// "group_count", "group_share"…: the function names, in GroupFunction order.
std::string_view to_string(GroupFunction function);
std::optional<GroupFunction> group_function(std::string_view name);
/// group_count and group_share read a condition of each member; avg, min and max a number.
bool reads_condition(GroupFunction function);
bool reads_number(GroupFunction function);

/// One group function call of some rule. Equal calls share one evaluation slot.
struct GroupCall {
    GroupFunction function = GroupFunction::Size;
    /// Evaluated on each member's latest reading: `value >= 28`. Null for size and known.
    std::shared_ptr<const expr::Program> member;
    bool operator==(const GroupCall& other) const;
};

/// What the group functions of one rule need. Each distinct member expression (a "term") is
/// evaluated once per reading, and its results are kept per member and totalled per group.
struct GroupPlan {
    std::vector<std::shared_ptr<const expr::Program>> terms;
    std::vector<bool> sorted;              // per term: read by group_min or group_max
    std::vector<std::uint32_t> calls;      // indices in SlotLayout::group_calls
    std::vector<std::int32_t> call_terms;  // per call: its term, -1 for size and known
    /// The first condition counted (group_count, group_share): what {{group_count}} reports.
    std::int32_t headline = -1;
    /// `group.members`: the registry's entities of this type form each group, heard or not.
    /// Empty: the entities heard from are the members.
    std::string member_type;
    /// `group.stale_after`: a member whose latest reading is older is unknown. 0: never.
    Duration stale_after{0};

    /// Adds the calls `used` (indices in `all`), gathering their terms.
    void add_calls(const std::vector<GroupCall>& all, const std::vector<std::uint32_t>& used);
    /// The same terms and policy: a reloaded rule may keep its members.
    bool same_members(const GroupPlan& other) const;
};

}  // namespace passerelle::rules
