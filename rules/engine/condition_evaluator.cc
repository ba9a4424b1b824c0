// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/condition_evaluator.h"

namespace passerelle::rules {

void ConditionEvaluator::prepare(const RuleSet& rules) {
    for (const auto& rule : rules.rules) {
        scratch_.reserve_for(rule.when);
        if (rule.clear) {
            scratch_.reserve_for(*rule.clear);
        }
        for (const auto& action : rule.actions) {
            if (action.when) {
                scratch_.reserve_for(*action.when);
            }
        }
        for (const auto& signal : rule.signals) {
            for (const auto* program : {&signal.value, &signal.resolved_value}) {
                if (*program) {
                    scratch_.reserve_for(**program);
                }
            }
        }
    }
}

namespace {

std::optional<bool> known(expr::Truth truth) {
    switch (truth) {
        case expr::Truth::True:
            return true;
        case expr::Truth::False:
            return false;
        case expr::Truth::Absent:
            break;
    }
    return std::nullopt;
}

}  // namespace

std::optional<bool> ConditionEvaluator::evaluate(const expr::Program& program,
                                                 const std::vector<const Value*>& slots) {
    return known(program.evaluate_condition(expr::SlotView(slots.data(), slots.size()), scratch_));
}

std::optional<bool> ConditionEvaluator::evaluate(const ConditionPack& pack,
                                                 const PackedCondition& condition,
                                                 const std::vector<const Value*>& slots) {
    return known(pack.evaluate(condition, expr::SlotView(slots.data(), slots.size()), scratch_));
}

std::optional<Value> ConditionEvaluator::value(const expr::Program& program,
                                               const std::vector<const Value*>& slots) {
    const expr::EvalResult result =
        program.evaluate(expr::SlotView(slots.data(), slots.size()), scratch_);
    if (result.is_absent()) {
        return std::nullopt;
    }
    switch (result.type()) {
        case expr::Type::Number:
            return Value(result.number());
        case expr::Type::Bool:
            return Value(result.boolean());
        case expr::Type::String:
            return Value(std::string(result.text()));
    }
    return std::nullopt;
}

}  // namespace passerelle::rules
