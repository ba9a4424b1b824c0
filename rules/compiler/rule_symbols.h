// SPDX-License-Identifier: Apache-2.0
// What names mean inside rule conditions: the reading, its entity's registry entry, joined topics.
#pragma once

#include <string>
#include <vector>

#include "gateway/core/territory.h"
#include "rules/compiler/rule_set.h"
#include "rules/expr/symbol_table.h"

namespace passerelle::rules {

/// Names a condition may use:
///   value, entity, provider, quantity, unit      the reading being evaluated
///   entity.type, entity.building, entity.<attr>  the reading's entity in the registry
///   last("signal/ville/canicule-level")          the latest value of another topic (a join)
/// Slots follow `SlotLayout`; joins are added as conditions use them.
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

    const SlotLayout& layout() const { return layout_; }

private:
    SlotLayout layout_;
    bool any_attribute_ = false;
};

}  // namespace passerelle::rules
