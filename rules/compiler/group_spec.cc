// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/group_spec.h"

#include <algorithm>
#include <array>

namespace passerelle::rules {
namespace {

constexpr std::array<std::string_view, 7> kNames{"group_count", "group_share", "group_size",
                                                 "group_known", "group_avg",   "group_min",
                                                 "group_max"};

bool same_program(const std::shared_ptr<const expr::Program>& a,
                  const std::shared_ptr<const expr::Program>& b) {
    return a == b || (a && b && a->canonical() == b->canonical());
}

}  // namespace

std::string_view to_string(GroupFunction function) {
    return kNames[static_cast<std::size_t>(function)];
}

std::optional<GroupFunction> group_function(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<GroupFunction>(i);
        }
    }
    return std::nullopt;
}

bool reads_condition(GroupFunction function) {
    return function == GroupFunction::Count || function == GroupFunction::Share;
}

bool reads_number(GroupFunction function) {
    return function == GroupFunction::Avg || function == GroupFunction::Min ||
           function == GroupFunction::Max;
}

bool GroupCall::operator==(const GroupCall& other) const {
    return function == other.function && same_program(member, other.member);
}

void GroupPlan::add_calls(const std::vector<GroupCall>& all,
                          const std::vector<std::uint32_t>& used) {
    for (const std::uint32_t index : used) {
        const GroupCall& call = all[index];
        calls.push_back(index);
        if (!call.member) {
            call_terms.push_back(-1);
            continue;
        }
        auto it = std::find_if(terms.begin(), terms.end(),
                               [&](const auto& term) { return same_program(term, call.member); });
        if (it == terms.end()) {
            terms.push_back(call.member);
            sorted.push_back(false);
            it = terms.end() - 1;
        }
        const auto term = static_cast<std::int32_t>(it - terms.begin());
        call_terms.push_back(term);
        if (call.function == GroupFunction::Min || call.function == GroupFunction::Max) {
            sorted[static_cast<std::size_t>(term)] = true;
        }
        if (headline < 0 && reads_condition(call.function)) {
            headline = term;
        }
    }
}

bool GroupPlan::same_members(const GroupPlan& other) const {
    return member_type == other.member_type && stale_after == other.stale_after &&
           sorted == other.sorted &&
           std::equal(terms.begin(), terms.end(), other.terms.begin(), other.terms.end(),
                      same_program);
}

}  // namespace passerelle::rules
