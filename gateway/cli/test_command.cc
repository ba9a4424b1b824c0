// SPDX-License-Identifier: Apache-2.0
// `passerelle test FILE...`: rule unit tests on injected readings, without a broker.
#include <cstdio>

#include "gateway/cli/commands.h"
#include "gateway/ruletest/runner.h"

namespace passerelle::cli {
namespace {

int run_tests(const std::vector<std::string>& files) {
    ruletest::RunTotals totals;
    Diagnostics diagnostics;
    for (const auto& file : files) {
        std::string report;
        ruletest::run_test_file(file, totals, report, diagnostics);
        std::fputs(report.c_str(), stdout);
    }
    std::fflush(stdout);
    if (!diagnostics.all().empty()) {
        std::fputs(format_diagnostics(diagnostics).c_str(), stderr);
    }
    std::fputs(ruletest::format_totals(totals).c_str(), stdout);
    if (totals.invalid) {
        return kExitConfig;
    }
    return totals.failed == 0 ? kExitOk : kExitProblems;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
    auto files = std::make_shared<std::vector<std::string>>();
    auto* command = app.add_subcommand(
        "test",
        "Run rule tests: inject readings, compare the notifications with the expected ones");
    command->add_option("files", *files, "Test files (*.test.yaml)")
        ->required()
        ->check(CLI::ExistingFile);
    command->callback([files, &exit_code] { exit_code = run_tests(*files); });
}

}  // namespace passerelle::cli
