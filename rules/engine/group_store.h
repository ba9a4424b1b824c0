// SPDX-License-Identifier: Apache-2.0
// The groups of the rules using group functions: per group, one latest result per member, and
// totals kept up to date on each reading, so that evaluating a group never scans its members.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/compiler/rule_set.h"
#include "rules/engine/alert_event.h"
#include "rules/expr/program.h"

namespace passerelle::rules {

class GroupStore {
public:
    explicit GroupStore(const RuleSet& rules);

    /// Declares `entity` a member of the group `key` of rule `rule` (`group.members`), so that it
    /// counts, as unknown, before it is heard from.
    void expect(std::size_t rule, const std::string& key, const std::string& entity);
    /// Takes `reading` as its entity's latest in group `key`, the rule's member expressions
    /// evaluated on `slots` (bound to that reading). False when the entity is not a member: its
    /// type is not the rule's `group.members`.
    bool record(std::size_t rule, const std::string& key, const Reading& reading,
                expr::SlotView slots);
    /// Makes the members stale at `time` unknown, then points the rule's group function slots at
    /// the group's values (nullptr for an unknown one).
    void bind(std::size_t rule, const std::string& key, Timestamp time,
              std::vector<const Value*>& slots);
    /// The group as a message reports it. Lists members: for transitions, not for each reading.
    GroupFacts facts(std::size_t rule, const std::string& key) const;
    /// Takes over the groups of `previous_rule` in `previous` (a reload that kept the rule).
    void adopt(const GroupStore& previous, std::size_t rule, std::size_t previous_rule);

    /// Members of every group of every rule: memory grows with them, one result per term each.
    std::size_t member_count() const;

private:
    /// One member's latest results, one per term of its rule (nullopt: unknown).
    struct Member {
        Timestamp time{};
        bool fresh = false;  // heard from, and not stale
        std::vector<std::optional<double>> results;
    };
    /// A term's results over the fresh members that have one: true counts 1, false 0.
    struct Totals {
        std::size_t known = 0;
        double sum = 0;
        std::multiset<double> sorted;  // for group_min and group_max only
    };
    using Expiries = std::set<std::pair<Timestamp, const std::string*>>;
    struct Group {
        std::unordered_map<std::string, Member> members;
        std::vector<Totals> totals;  // per term
        std::size_t fresh = 0;
        /// Fresh members by the time their reading goes stale, when the rule has stale_after.
        Expiries expiries;
    };
    using Groups = std::unordered_map<std::string, Group>;

    Group* group_of(std::size_t rule, const std::string& key);
    void add(const GroupPlan& plan, Group& group, const std::string& entity, Member& member);
    void withdraw(const GroupPlan& plan, Group& group, const std::string& entity, Member& member);
    std::optional<double> value(const GroupPlan& plan, std::size_t call, const Group& group) const;

    const RuleSet& rules_;
    std::vector<Groups> groups_;  // per rule, by key
    std::vector<std::unordered_map<std::string, std::vector<std::string>>> expected_;  // per rule
    std::vector<Value> values_;  // by SlotLayout::group_calls order, bound per rule
    expr::EvalScratch scratch_;
    // A node taken out of a set, put back in with the member's next value: a reading moves its
    // member in the sets without allocating.
    Expiries::node_type spare_expiry_;
    std::multiset<double>::node_type spare_sorted_;
};

}  // namespace passerelle::rules
