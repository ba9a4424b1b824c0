// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/group_store.h"

#include <algorithm>

namespace passerelle::rules {
namespace {

std::optional<double> evaluate_term(const expr::Program& term, expr::SlotView slots,
                                    expr::EvalScratch& scratch) {
    if (term.result_type() == expr::Type::Bool) {
        switch (term.evaluate_condition(slots, scratch)) {
            case expr::Truth::True:
                return 1.0;
            case expr::Truth::False:
                return 0.0;
            case expr::Truth::Absent:
                return std::nullopt;
        }
        return std::nullopt;
    }
    const expr::EvalResult result = term.evaluate(slots, scratch);
    return result.is_absent() ? std::nullopt : std::optional(result.number());
}

template <typename Set, typename Value>
void insert_reusing(Set& set, typename Set::node_type& spare, Value value) {
    if (spare.empty()) {
        set.insert(std::move(value));
        return;
    }
    spare.value() = std::move(value);
    set.insert(std::move(spare));
}

template <typename Set>
void erase_keeping(Set& set, typename Set::iterator it, typename Set::node_type& spare) {
    auto node = set.extract(it);
    if (spare.empty()) {
        spare = std::move(node);
    }
}

}  // namespace

GroupStore::GroupStore(const RuleSet& rules)
    : rules_(rules), groups_(rules.rules.size()), expected_(rules.rules.size()) {
    values_.resize(rules.layout.group_calls.size());
    for (const auto& rule : rules.rules) {
        if (rule.group) {
            for (const auto& term : rule.group->terms) {
                scratch_.reserve_for(*term);
            }
        }
    }
}

void GroupStore::expect(std::size_t rule, const std::string& key, const std::string& entity) {
    expected_[rule][key].push_back(entity);
}

GroupStore::Group* GroupStore::group_of(std::size_t rule, const std::string& key) {
    auto& groups = groups_[rule];
    if (const auto it = groups.find(key); it != groups.end()) {
        return &it->second;
    }
    const GroupPlan& plan = *rules_.rules[rule].group;
    const auto expected = expected_[rule].find(key);
    if (!plan.member_type.empty() && expected == expected_[rule].end()) {
        return nullptr;  // no member of the registry renders to this key
    }
    Group& group = groups[key];
    group.totals.resize(plan.terms.size());
    if (expected != expected_[rule].end()) {
        for (const auto& entity : expected->second) {
            group.members[entity].results.resize(plan.terms.size());
        }
    }
    return &group;
}

bool GroupStore::record(std::size_t rule, const std::string& key, const Reading& reading,
                        expr::SlotView slots) {
    const GroupPlan& plan = *rules_.rules[rule].group;
    Group* group = group_of(rule, key);
    if (group == nullptr) {
        return false;
    }
    auto it = group->members.find(reading.entity);
    if (it == group->members.end()) {
        if (!plan.member_type.empty()) {
            return false;
        }
        it = group->members.emplace(reading.entity, Member{}).first;
        it->second.results.resize(plan.terms.size());
    }
    Member& member = it->second;
    if (member.fresh && reading.time < member.time) {
        return true;  // older than the member's latest reading: it changes nothing
    }
    withdraw(plan, *group, it->first, member);
    member.time = reading.time;
    for (std::size_t t = 0; t < plan.terms.size(); ++t) {
        member.results[t] = evaluate_term(*plan.terms[t], slots, scratch_);
    }
    add(plan, *group, it->first, member);
    return true;
}

void GroupStore::add(const GroupPlan& plan, Group& group, const std::string& entity,
                     Member& member) {
    member.fresh = true;
    ++group.fresh;
    if (plan.stale_after.count() > 0) {
        insert_reusing(group.expiries, spare_expiry_,
                       std::pair(member.time + plan.stale_after, &entity));
    }
    for (std::size_t t = 0; t < plan.terms.size(); ++t) {
        if (const auto& result = member.results[t]) {
            Totals& totals = group.totals[t];
            ++totals.known;
            totals.sum += *result;
            if (plan.sorted[t]) {
                insert_reusing(totals.sorted, spare_sorted_, *result);
            }
        }
    }
}

void GroupStore::withdraw(const GroupPlan& plan, Group& group, const std::string& entity,
                          Member& member) {
    if (!member.fresh) {
        return;
    }
    member.fresh = false;
    --group.fresh;
    if (plan.stale_after.count() > 0) {
        erase_keeping(group.expiries,
                      group.expiries.find({member.time + plan.stale_after, &entity}),
                      spare_expiry_);
    }
    for (std::size_t t = 0; t < plan.terms.size(); ++t) {
        if (const auto& result = member.results[t]) {
            Totals& totals = group.totals[t];
            --totals.known;
            // Summing and subtracting drifts: a group with no known result starts from zero.
            totals.sum = totals.known == 0 ? 0.0 : totals.sum - *result;
            if (plan.sorted[t]) {
                erase_keeping(totals.sorted, totals.sorted.find(*result), spare_sorted_);
            }
        }
    }
}

void GroupStore::bind(std::size_t rule, const std::string& key, Timestamp time,
                      std::vector<const Value*>& slots) {
    const GroupPlan& plan = *rules_.rules[rule].group;
    const auto it = groups_[rule].find(key);
    Group* group = it == groups_[rule].end() ? nullptr : &it->second;
    while (group != nullptr && !group->expiries.empty() && group->expiries.begin()->first < time) {
        const std::string& entity = *group->expiries.begin()->second;
        Member& member = group->members.at(entity);
        withdraw(plan, *group, entity, member);
        std::fill(member.results.begin(), member.results.end(), std::nullopt);
    }
    const SlotLayout& layout = rules_.layout;
    for (std::size_t i = 0; i < plan.calls.size(); ++i) {
        const std::uint32_t call = plan.calls[i];
        const auto result = group == nullptr ? std::nullopt : value(plan, i, *group);
        if (result) {
            values_[call] = *result;
        }
        slots[layout.group_slot(call)] = result ? &values_[call] : nullptr;
    }
}

std::optional<double> GroupStore::value(const GroupPlan& plan, std::size_t call,
                                        const Group& group) const {
    const auto size = static_cast<double>(group.members.size());
    const std::int32_t term = plan.call_terms[call];
    const Totals* totals = term < 0 ? nullptr : &group.totals[static_cast<std::size_t>(term)];
    switch (rules_.layout.group_calls[plan.calls[call]].function) {
        case GroupFunction::Size:
            return size;
        case GroupFunction::Known:
            return static_cast<double>(group.fresh);
        case GroupFunction::Count:
            return totals->sum;
        case GroupFunction::Share:
            return size == 0 ? std::nullopt : std::optional(totals->sum / size);
        case GroupFunction::Avg:
            return totals->known == 0
                       ? std::nullopt
                       : std::optional(totals->sum / static_cast<double>(totals->known));
        case GroupFunction::Min:
            return totals->sorted.empty() ? std::nullopt : std::optional(*totals->sorted.begin());
        case GroupFunction::Max:
            return totals->sorted.empty() ? std::nullopt : std::optional(*totals->sorted.rbegin());
    }
    return std::nullopt;
}

GroupFacts GroupStore::facts(std::size_t rule, const std::string& key) const {
    GroupFacts facts;
    const auto it = groups_[rule].find(key);
    if (it == groups_[rule].end()) {
        return facts;
    }
    const Group& group = it->second;
    const GroupPlan& plan = *rules_.rules[rule].group;
    facts.size = group.members.size();
    facts.known = group.fresh;
    if (plan.headline < 0) {
        return facts;
    }
    const auto headline = static_cast<std::size_t>(plan.headline);
    std::vector<const std::string*> counted;
    for (const auto& [entity, member] : group.members) {
        if (member.fresh && member.results[headline] == 1.0) {
            counted.push_back(&entity);
        }
    }
    std::sort(counted.begin(), counted.end(),
              [](const std::string* a, const std::string* b) { return *a < *b; });
    facts.count = counted.size();
    for (std::size_t i = 0; i < counted.size() && i < GroupFacts::kMaxListed; ++i) {
        facts.counted.push_back(*counted[i]);
    }
    return facts;
}

void GroupStore::adopt(const GroupStore& previous, std::size_t rule, std::size_t previous_rule) {
    const GroupPlan& plan = *rules_.rules[rule].group;
    const auto& old_rule = previous.rules_.rules[previous_rule];
    if (!old_rule.group || !plan.same_members(*old_rule.group)) {
        return;
    }
    groups_[rule] = previous.groups_[previous_rule];
    // The copied expiries point into the previous store's members: point them at ours.
    for (auto& [key, group] : groups_[rule]) {
        group.expiries.clear();
        for (const auto& [entity, member] : group.members) {
            if (member.fresh && plan.stale_after.count() > 0) {
                group.expiries.emplace(member.time + plan.stale_after, &entity);
            }
        }
    }
}

std::size_t GroupStore::member_count() const {
    std::size_t count = 0;
    for (const auto& groups : groups_) {
        for (const auto& [key, group] : groups) {
            count += group.members.size();
        }
    }
    return count;
}

}  // namespace passerelle::rules
