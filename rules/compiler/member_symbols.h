// SPDX-License-Identifier: Apache-2.0
// What the argument of a group function may read: one member's own reading and registry entry.
#pragma once

#include "rules/expr/symbol_table.h"

namespace passerelle::rules {

/// The variables of the rule's symbols (`value`, `entity.vulnerable`…), and none of its
/// functions: a member's result is kept between its readings, so it may depend on nothing else
/// (another topic, a window, the time), which would change it unseen.
class MemberSymbols final : public expr::SymbolTable {
public:
    explicit MemberSymbols(const expr::SymbolTable& rule) : rule_(rule) {}

    std::optional<expr::Slot> variable(std::string_view name) const override {
        return rule_.variable(name);
    }
    std::vector<std::string> variable_names() const override { return rule_.variable_names(); }
    std::vector<std::string> function_names() const override { return rule_.function_names(); }
    std::optional<Result<expr::Slot>> call(std::string_view name,
                                           std::span<const expr::Argument> args) override;

private:
    const expr::SymbolTable& rule_;
};

}  // namespace passerelle::rules
