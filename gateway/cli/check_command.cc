// SPDX-License-Identifier: Apache-2.0
// `passerelle check`: validates a configuration and its rules, or rules files alone.
#include <cstdio>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "gateway/cli/commands.h"
#include "gateway/config/routing_loader.h"
#include "gateway/config/settings_loader.h"
#include "rules/compiler/rule_compiler.h"

namespace passerelle::cli {
namespace {

struct CheckOptions {
    std::string config;
    std::vector<std::string> rule_files;
};

int check(const CheckOptions& options) {
    Diagnostics diagnostics;
    Territory territory;
    routing::RoutingConfig routing;
    std::vector<std::string> rule_files = options.rule_files;
    std::string subject;
    if (!options.config.empty()) {
        auto settings = config::load_settings(options.config, diagnostics);
        if (!settings) {
            std::fputs(format_diagnostics(diagnostics).c_str(), stderr);
            std::fprintf(stderr, "%s: %zu error(s)\n", options.config.c_str(),
                         diagnostics.error_count());
            return kExitProblems;
        }
        territory = std::move(settings->territory);
        routing = std::move(settings->routing);
        rule_files.insert(rule_files.end(), settings->rule_files.begin(),
                          settings->rule_files.end());
        // A file named on the command line and by the configuration is checked once.
        std::vector<std::string> unique;
        std::set<std::string> seen;
        for (const auto& file : rule_files) {
            std::error_code error;
            const auto canonical = std::filesystem::weakly_canonical(file, error).string();
            if (seen.insert(error ? file : canonical).second) {
                unique.push_back(file);
            }
        }
        rule_files = std::move(unique);
        subject = fmt::format("{}: {} stakeholders, {} sharing agreements, {} entities, ",
                              options.config, territory.stakeholders.size(),
                              territory.agreements.size(), territory.entities.all().size());
        if (!territory.meters.empty()) {
            subject += fmt::format("{} meters, ", territory.meters.all().size());
        }
        if (const auto topics = settings->connectors.topics().size() +
                                settings->connectors.mbus_tcp.size();
            topics > 0) {
            subject += fmt::format("{} connector source{}, ", topics, topics == 1 ? "" : "s");
        }
    }
    rules::CompileOptions compile_options;
    compile_options.without_territory = options.config.empty();
    const auto rule_set =
        rules::load_and_compile_rules(rule_files, territory, diagnostics, compile_options);
    if (rule_set) {
        config::check_route_rules(routing, *rule_set, diagnostics);
    }
    std::fputs(format_diagnostics(diagnostics).c_str(), stderr);
    if (!rule_set) {
        std::fprintf(stderr, "%zu error(s), %zu warning(s)\n", diagnostics.error_count(),
                     diagnostics.warning_count());
        return kExitProblems;
    }
    std::printf("ok: %s%zu rules in %zu files, listening to %zu topic filters%s\n", subject.c_str(),
                rule_set->rules.size(), rule_files.size(), rule_set->subscriptions().size(),
                options.config.empty()
                    ? " (recipients and entity attributes not checked: give -c CONFIG)"
                    : "");
    return kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CheckOptions>();
    auto* command = app.add_subcommand(
        "check", "Validate a configuration and its rules (exit 1 with file:line:column errors)");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->check(CLI::ExistingFile);
    command->add_option("rules", options->rule_files, "Rules files to check")
        ->check(CLI::ExistingFile);
    command->callback([options, &exit_code, command] {
        if (options->config.empty() && options->rule_files.empty()) {
            std::fputs(command->help().c_str(), stderr);
            exit_code = kExitUsage;
            return;
        }
        exit_code = check(*options);
    });
}

}  // namespace passerelle::cli
