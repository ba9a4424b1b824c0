// SPDX-License-Identifier: Apache-2.0
// Every rule's conditions, code and constants, in two arrays in rule order: with thousands of
// rules, evaluating the few a reading matches then reads a few cache lines each, not a Program's
// scattered vectors.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/expr/program.h"

namespace passerelle::rules {

/// Where one condition's code and constants lie in a ConditionPack.
struct PackedCondition {
    std::uint32_t code = 0;
    std::uint32_t code_size = 0;
    std::uint32_t constants = 0;
    std::uint32_t constants_size = 0;
};

/// Built once by the compiler, then only read. Offsets rather than pointers: a copy stays valid.
class ConditionPack {
public:
    /// Copies a condition (a verified Program of type Bool) after the ones already packed.
    PackedCondition add(const expr::Program& condition) {
        const PackedCondition packed{
            static_cast<std::uint32_t>(code_.size()),
            static_cast<std::uint32_t>(condition.code().size()),
            static_cast<std::uint32_t>(constants_.size()),
            static_cast<std::uint32_t>(condition.constants().size()),
        };
        max_stack_ = std::max(max_stack_, condition.max_stack());
        code_.insert(code_.end(), condition.code().begin(), condition.code().end());
        constants_.insert(constants_.end(), condition.constants().begin(),
                          condition.constants().end());
        return packed;
    }

    /// As the Program would answer.
    expr::Truth evaluate(const PackedCondition& condition, expr::SlotView inputs,
                         expr::EvalScratch& scratch) const {
        return expr::Program::evaluate_copied_condition(
            std::span(code_).subspan(condition.code, condition.code_size),
            std::span(constants_).subspan(condition.constants, condition.constants_size),
            max_stack_, inputs, scratch);
    }

    /// Asks the processor to start loading a condition's first instructions and constants, so
    /// that the cache misses of several rules overlap instead of following one another.
    void prefetch(const PackedCondition& condition) const {
        __builtin_prefetch(code_.data() + condition.code);
        __builtin_prefetch(constants_.data() + condition.constants);
    }

private:
    std::vector<expr::Instruction> code_;
    std::vector<Value> constants_;
    std::size_t max_stack_ = 0;  // of the deepest condition: one scratch serves them all
};

}  // namespace passerelle::rules
