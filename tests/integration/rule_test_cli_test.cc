// SPDX-License-Identifier: Apache-2.0
// `passerelle test` as CI runs it: the example territory's tests pass, failures and mistakes show.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/support/child_process.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Run {
    ExitStatus status;
    std::string out;
    std::string err;
};

Run run_test_command(const fs::path& dir, std::vector<std::string> files) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = {"test"};
    options.args.insert(options.args.end(), files.begin(), files.end());
    options.stdout_path = dir / "test.out";
    options.stderr_path = dir / "test.err";
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(60s);
    REQUIRE(status.has_value());
    return Run{*status, (*child)->read_stdout(), (*child)->read_stderr()};
}

fs::path make_temp_dir() {
    char pattern[] = "/tmp/passerelle-ruletest.XXXXXX";
    const char* dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    REQUIRE(out.good());
}

const std::string kHeader =
    "version: 1\nconfig: " PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml\ntests:\n";

}  // namespace

TEST_CASE("test: the example territory's rule tests pass", "[cli][ruletest]") {
    const fs::path dir = make_temp_dir();
    const auto run = run_test_command(
        dir, {PASSERELLE_SOURCE_DIR "/examples/territoire/tests/canicule.test.yaml"});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.status.exited);
    CHECK(run.status.code == 0);
    CHECK(run.out.find("FAIL") == std::string::npos);
    CHECK(run.out.find("ok   ") == 0);
    CHECK(run.out.find("5 tests, 5 passed, 0 failed\n") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("test: a wrong expectation fails with expected and got lines", "[cli][ruletest]") {
    const fs::path dir = make_temp_dir();
    write_file(dir / "wrong.test.yaml", kHeader + R"(  - name: en retard
    start: 2026-07-14T10:00:00Z
    interval: 15min
    input:
      - topic: signal/ville/canicule-level
        values: "3"
      - topic: telemetry/habitat-sud/hs-a-101/temperature
        values: "29x9"
    expect:
      - {at: 2h15min, recipient: habitat-sud, rule: canicule-logement, key: hs-a-101,
         status: firing}
)");
    const auto run = run_test_command(dir, {(dir / "wrong.test.yaml").string()});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.status.exited);
    CHECK(run.status.code == 1);
    CHECK(run.out.find("FAIL " + (dir / "wrong.test.yaml").string() + ": en retard\n") !=
          std::string::npos);
    CHECK(run.out.find("    expected: at 2h15min habitat-sud canicule-logement hs-a-101 firing  (" +
                       (dir / "wrong.test.yaml").string() + ":13)\n") != std::string::npos);
    CHECK(run.out.find("    got:      at 2h habitat-sud canicule-logement hs-a-101 firing\n") !=
          std::string::npos);
    CHECK(run.out.find("1 tests, 0 passed, 1 failed\n") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("test: an unknown key is an invalid test file, with its position", "[cli][ruletest]") {
    const fs::path dir = make_temp_dir();
    write_file(dir / "typo.test.yaml", kHeader + R"(  - name: faute de frappe
    start: 2026-07-14T10:00:00Z
    intervale: 15min
    input:
      - {topic: signal/ville/canicule-level, values: "3"}
    expect: []
)");
    const auto run = run_test_command(dir, {(dir / "typo.test.yaml").string()});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.status.exited);
    CHECK(run.status.code == 3);
    CHECK(run.err.find((dir / "typo.test.yaml").string() +
                       ":6:5: error[yaml.unknown-key]: unknown key 'intervale' in a test; did you "
                       "mean 'interval'?") != std::string::npos);
    fs::remove_all(dir);
}
