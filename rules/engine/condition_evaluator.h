// SPDX-License-Identifier: Apache-2.0
// Evaluates compiled conditions with one scratch stack sized once for all the rules.
#pragma once

#include <optional>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/compiler/rule_set.h"
#include "rules/expr/program.h"

namespace passerelle::rules {

class ConditionEvaluator {
public:
    /// Sizes the scratch for the deepest program of the rule set: no allocation afterwards.
    void prepare(const RuleSet& rules);
    /// true, false, or nothing when the condition cannot be decided (missing data).
    std::optional<bool> evaluate(const expr::Program& program, const std::vector<const Value*>& slots);
    /// The same for a rule's condition packed in `pack` (RuleSet::conditions).
    std::optional<bool> evaluate(const ConditionPack& pack, const PackedCondition& condition,
                                 const std::vector<const Value*>& slots);

    /// The value of an expression of any type; nothing when it cannot be computed.
    std::optional<Value> value(const expr::Program& program, const std::vector<const Value*>& slots);

private:
    expr::EvalScratch scratch_;
};

}  // namespace passerelle::rules
