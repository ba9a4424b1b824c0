// SPDX-License-Identifier: Apache-2.0
// What names mean inside rule conditions: the reading, its entity's registry entry, joined topics.
#pragma once

#include <string>
#include <vector>

#include "gateway/core/territory.h"
#include "rules/compiler/member_symbols.h"
#include "rules/compiler/rule_set.h"
#include "rules/expr/symbol_table.h"

namespace passerelle::rules {

/// What one rule's conditions read beyond the reading and the registry.
struct RuleUses {
    std::vector<std::uint32_t> windows;  // indices in SlotLayout::windows
    std::vector<std::uint32_t> joins;    // indices in SlotLayout::join_topics
    std::vector<std::uint32_t> groups;   // indices in SlotLayout::group_calls, first use first
    bool calendar = false;
};

/// Names a condition may use:
///   value, entity, provider, quantity, unit      the reading being evaluated
///   entity.type, entity.building, entity.<attr>  the reading's entity in the registry
///   last("signal/ville/canicule-level")          the latest value of another topic (a join)
///   avg|min|max|sum|count|delta|rate(<quantity or "topic">, <duration>[, "HH:MM-HH:MM"])
///   age([<quantity or "topic">])                 seconds since the latest reading
///   hour(), minute(), weekday(), day(), month()  the evaluation time in the territory's zone
///   group_count(<condition>), group_share(…), group_avg|min|max(<number>), group_size(),
///   group_known()                                over the members of the rule's key (a group)
/// Slots follow `SlotLayout`; joins and windows are added as conditions use them.
class RuleSymbols final : public expr::SymbolTable {
public:
    /// `any_attribute`: accept `entity.<name>` for attributes the registry does not have, as
    /// true/false values: for checking rules files without their configuration, never to run them.
    explicit RuleSymbols(const Territory& territory, bool any_attribute = false);

    std::optional<expr::Slot> variable(std::string_view name) const override;
    std::vector<std::string> variable_names() const override;
    std::vector<std::string> function_names() const override;
    std::optional<Result<expr::Slot>> call(std::string_view name,
                                           std::span<const expr::Argument> args) override;
    expr::SymbolTable* argument_symbols(std::string_view name) override;

    const SlotLayout& layout() const { return layout_; }

    /// Starts collecting what the conditions of a rule listening to `listen` use. Without
    /// `key_is_group` (a key per entity), group functions are errors.
    void begin_rule(std::string_view listen, bool key_is_group = true);
    /// What the conditions compiled so far for this rule use.
    const RuleUses& uses() const { return uses_; }
    RuleUses end_rule();

private:
    std::optional<Result<expr::Slot>> window(WindowKind kind, std::span<const expr::Argument> args);
    std::optional<Result<expr::Slot>> join(std::span<const expr::Argument> args);
    std::optional<Result<expr::Slot>> group(GroupFunction function,
                                            std::span<const expr::Argument> args);

    SlotLayout layout_;
    std::string listen_;
    RuleUses uses_;
    MemberSymbols members_{*this};
    bool key_is_group_ = true;
    bool any_attribute_ = false;
};

}  // namespace passerelle::rules
