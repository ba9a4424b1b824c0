// SPDX-License-Identifier: Apache-2.0
// The subcommands of `passerelle`; each sets the process exit code when it runs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "gateway/config/settings.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::cli {

/// Exit codes shared by all subcommands (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;  // check found errors, decode refused a telegram
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConfig = 3;
inline constexpr int kExitStore = 4;
inline constexpr int kExitBroker = 5;

void add_run_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_simulate_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_test_command(CLI::App&, int&);
void add_explain_command(CLI::App& app, int& exit_code);
void add_decode_command(CLI::App& app, int& exit_code);
void add_acl_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);
void add_silence_command(CLI::App& app, int& exit_code);

/// Loads the configuration and prints its diagnostics; nothing when it has errors.
std::optional<config::Settings> load_settings_or_report(const std::string& path);
/// Loads and compiles the configuration's rules files and prints their diagnostics; null when
/// they have errors.
std::shared_ptr<const rules::RuleSet> load_rules_or_report(const config::Settings& settings);

}  // namespace passerelle::cli
