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

/// An entity selector (`entities: {type: dwelling, tags: [rdc]}`), checked for shape only: the
/// compiler resolves it against the registry. Rules and sharing agreements both use it.
std::optional<EntitySelectorSpec> read_entity_selector(const YAML::Node& node,
                                                       const std::string& file,
                                                       Diagnostics& diagnostics);

}  // namespace passerelle::rules
