// SPDX-License-Identifier: Apache-2.0
// Runs the real `passerelle` binary as a user does, for the command line tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/child_process.h"

namespace passerelle::testing {

struct CliRun {
    ExitStatus status;
    std::string out;
    std::string err;
};

struct CliInput {
    std::string stdin_text;  // empty: stdin is /dev/null
    std::vector<std::pair<std::string, std::string>> environment;
};

/// Runs `passerelle args...` to its end (30 s at most) and returns what it printed.
CliRun run_passerelle(std::vector<std::string> args, const CliInput& input = {});

/// `text` cut at its line ends, without them.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace passerelle::testing
