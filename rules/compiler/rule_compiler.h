// SPDX-License-Identifier: Apache-2.0
// Rules files + the territory → one immutable RuleSet, or diagnostics pointing inside the files.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "rules/compiler/rule_set.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

struct CompileOptions {
    /// Checking rules files without their configuration: recipients are not checked against the
    /// stakeholders, and unknown entity attributes are taken as true/false. Such a RuleSet only
    /// tells whether the files are valid; it is never run.
    bool without_territory = false;
    /// When the sharing agreements are checked: the wall clock when not given.
    std::optional<Timestamp> now;
    /// An action whose agreement has ended: an error (`check`), or a warning for a running
    /// gateway, replays and rule tests, which check each notification at its own time and
    /// disable the action from the agreement's end, visibly.
    bool expired_agreements_are_errors = true;
};

/// Compiles every rule: conditions, templates, recipients. Returns nothing when any error was
/// reported; warnings alone do not stop it.
std::shared_ptr<const RuleSet> compile_rules(const std::vector<RulesFile>& files,
                                             const Territory& territory, Diagnostics& diagnostics,
                                             const CompileOptions& options = {});

/// Loads and compiles rules files in one go: what `run` and `check` do.
std::shared_ptr<const RuleSet> load_and_compile_rules(const std::vector<std::string>& paths,
                                                      const Territory& territory,
                                                      Diagnostics& diagnostics,
                                                      const CompileOptions& options = {});

}  // namespace passerelle::rules
