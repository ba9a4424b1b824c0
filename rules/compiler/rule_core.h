// SPDX-License-Identifier: Apache-2.0
// What evaluating one rule for a reading reads, apart from the rest of the compiled rule.
#pragma once

#include "gateway/core/time.h"
#include "rules/compiler/condition_pack.h"

namespace passerelle::rules {

/// A copy of the fields of CompiledRule that every evaluation reads, one cache line per rule in a
/// dense array. CompiledRule spreads them over ten lines among cold ones (description, labels,
/// actions, templates), which no longer stay in cache with thousands of rules.
struct alignas(64) RuleCore {
    PackedCondition when;
    PackedCondition clear;  // when has_clear
    Duration for_duration{0};
    Duration clear_for{0};
    Duration repeat{0};
    bool has_clear = false;
    bool key_is_entity = true;
    bool clock_driven = false;
    bool tracks_keys = false;
    /// Some condition of the rule (when, clear, an action's) reads the entity's registry values.
    bool reads_registry = false;
    bool selects_entities = false;  // CompiledRule::entities narrows the readings
    bool has_group = false;         // CompiledRule::group: readings feed a group
};

}  // namespace passerelle::rules
