// SPDX-License-Identifier: Apache-2.0
// Loads rules files (YAML, `version: 1`) into RuleSpecs, reporting every structural problem.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/diagnostic.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

inline constexpr int kRulesFileVersion = 1;

/// Reads one rules file. Structural errors (unknown keys, missing fields, bad durations) go to
/// `diagnostics`; expressions and templates are checked later by the compiler.
std::optional<RulesFile> load_rules_file(const std::string& path, Diagnostics& diagnostics);
std::optional<RulesFile> load_rules_text(std::string_view text, const std::string& path,
                                         Diagnostics& diagnostics);

}  // namespace passerelle::rules
