// SPDX-License-Identifier: Apache-2.0
// `passerelle`: the gateway daemon and its tools, one subcommand each.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "gateway/cli/commands.h"
#include "gateway/config/routing_loader.h"
#include "gateway/config/settings_loader.h"
#include "rules/compiler/rule_compiler.h"

namespace passerelle::cli {

std::optional<config::Settings> load_settings_or_report(const std::string& path) {
    Diagnostics diagnostics;
    auto settings = config::load_settings(path, diagnostics);
    if (!diagnostics.all().empty()) {
        std::fputs(format_diagnostics(diagnostics).c_str(), stderr);
    }
    return settings;
}

std::shared_ptr<const rules::RuleSet> load_rules_or_report(const config::Settings& settings) {
    Diagnostics diagnostics;
    rules::CompileOptions options;
    options.expired_agreements_are_errors = false;  // checked again at each notification's time
    auto rule_set = rules::load_and_compile_rules(settings.rule_files, settings.territory,
                                                  diagnostics, options);
    if (rule_set) {
        config::check_route_rules(settings.routing, *rule_set, diagnostics);
    }
    if (!diagnostics.all().empty()) {
        std::fputs(format_diagnostics(diagnostics).c_str(), stderr);
    }
    return rule_set;
}

}  // namespace passerelle::cli

int main(int argc, char** argv) {
    using namespace passerelle::cli;  // NOLINT(google-build-using-namespace)
    CLI::App app{"Passerelle: a gateway and rules engine for the data of a territory"};
    app.require_subcommand(1);
    std::string log_level = "info";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    int exit_code = kExitOk;
    add_run_command(app, exit_code);
    add_check_command(app, exit_code);
    add_simulate_command(app, exit_code);
    add_replay_command(app, exit_code);
    add_test_command(app, exit_code);
    add_explain_command(app, exit_code);
    add_decode_command(app, exit_code);
    add_acl_command(app, exit_code);
    add_audit_command(app, exit_code);
    add_silence_command(app, exit_code);
    app.add_subcommand("version", "Print the version")->callback([] {
        std::printf("passerelle %s\n", PASSERELLE_VERSION);
    });
    // Logs go to stderr: stdout is for what a command prints as its result.
    spdlog::set_default_logger(spdlog::stderr_color_mt("passerelle"));
    app.parse_complete_callback([&log_level] {
        spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
        spdlog::set_level(spdlog::level::from_str(log_level));
    });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    return exit_code;
}
