// SPDX-License-Identifier: Apache-2.0
// `passerelle check` and `version` as a user runs them: exit codes and messages.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/integration/cli_run.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

TEST_CASE("check accepts the example territory", "[cli]") {
    const auto run =
        run_passerelle({"check", "-c", PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml"});
    INFO(run.err);
    CHECK(run.status.success());
    CHECK(run.out.find("ok: ") == 0);
}

TEST_CASE("check takes rules files alone, or with their configuration once", "[cli]") {
    const std::string rules = PASSERELLE_SOURCE_DIR "/examples/territoire/rules/canicule.yaml";
    const auto alone = run_passerelle({"check", rules});
    INFO(alone.err);
    CHECK(alone.status.success());
    CHECK(alone.out.find("not checked: give -c CONFIG") != std::string::npos);
    const auto both = run_passerelle(
        {"check", "-c", PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml", rules});
    INFO(both.err);
    CHECK(both.status.success());
}

TEST_CASE("check reports a wrong rule with file:line:column and exits 1", "[cli]") {
    char pattern[] = "/tmp/passerelle-cli.XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);
    const auto rules = dir / "bad.yaml";
    std::ofstream(rules) << "version: 1\nrules:\n  - id: r\n    listen: telemetry/+/+/temperature\n"
                            "    when: valeur >= 28\n    actions:\n      - notify: ccas\n"
                            "        message: x\n";
    const auto run = run_passerelle({"check", rules.string()});
    CHECK(run.status.exited);
    CHECK(run.status.code == 1);
    CHECK(run.err.find(rules.string() +
                       ":5:11: error[expr.unknown-identifier]: unknown identifier 'valeur'; did "
                       "you mean 'value'?") != std::string::npos);
    CHECK(run.err.find("    5 |     when: valeur >= 28") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("run with an unreadable configuration exits with the config code", "[cli]") {
    char pattern[] = "/tmp/passerelle-cli.XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);
    std::ofstream(dir / "passerelle.yaml") << "instance: x\nrules: [missing.yaml]\nbrokr: {}\n";
    const auto run = run_passerelle({"run", "-c", (dir / "passerelle.yaml").string()});
    CHECK(run.status.code == 3);
    CHECK(run.err.find("unknown key 'brokr'") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("version prints the version", "[cli]") {
    const auto run = run_passerelle({"version"});
    CHECK(run.status.success());
    CHECK(run.out.starts_with("passerelle "));
}
