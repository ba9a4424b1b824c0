// SPDX-License-Identifier: Apache-2.0
#include "tests/integration/cli_run.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <unistd.h>

namespace passerelle::testing {

CliRun run_passerelle(std::vector<std::string> args, const CliInput& input) {
    using namespace std::chrono_literals;
    const auto dir = std::filesystem::temp_directory_path();
    const std::string prefix = "passerelle-cli-" + std::to_string(::getpid());
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = std::move(args);
    options.environment = input.environment;
    options.stdout_path = dir / (prefix + ".out");
    options.stderr_path = dir / (prefix + ".err");
    if (!input.stdin_text.empty()) {
        options.stdin_path = dir / (prefix + ".in");
        std::ofstream(options.stdin_path) << input.stdin_text;
    }
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(30s);
    REQUIRE(status.has_value());
    CliRun run{*status, (*child)->read_stdout(), (*child)->read_stderr()};
    std::filesystem::remove(options.stdout_path);
    std::filesystem::remove(options.stderr_path);
    if (!options.stdin_path.empty()) {
        std::filesystem::remove(options.stdin_path);
    }
    return run;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
        lines.push_back(line);
    }
    return lines;
}

}  // namespace passerelle::testing
