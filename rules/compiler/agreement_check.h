// SPDX-License-Identifier: Apache-2.0
// The sharing agreements checked when rules load: every notify action whose notifications would
// carry a party's data to another party needs a current agreement for each such flow.
#pragma once

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "gateway/core/time.h"
#include "rules/compiler/rule_set.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

/// An agreement ending within this much of `now` is a warning.
inline constexpr Duration kAgreementEndWarning = std::chrono::hours(24 * 90);

/// For each action of `rule`, each entity of the registry its `listen`, `entities` and group
/// take, and each recipient the action names for that entity: every flow of data to that
/// recipient needs an agreement valid at `now`. Errors point at the action's `notify`, naming
/// the provider, the data, an entity and the agreement to declare; an agreement that ends
/// within kAgreementEndWarning, or starts later, is a warning with its date.
/// `expired_is_error`: an agreement that has ended is an error, else a warning that the action
/// is disabled.
void check_agreements(const CompiledRule& rule, const RuleSpec& spec, const Territory& territory,
                      Timestamp now, bool expired_is_error, Diagnostics& diagnostics);

}  // namespace passerelle::rules
