// SPDX-License-Identifier: Apache-2.0
// The Last Will of a PahoBus whose process dies (SIGKILL), run in a separate helper process.
#include <csignal>
#include <filesystem>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "tests/support/bus_test_helpers.h"
#include "tests/support/child_process.h"

namespace passerelle::testing {
namespace {

TEST_CASE("the broker publishes the Will 'offline' when the bus process is killed", "[bus]") {
    auto broker = start_broker();
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/status").has_value());

    ChildOptions child;
    child.executable = PASSERELLE_BUS_WILL_HELPER;
    child.args = {broker->url(), "gw-will", "passerelle/gw/status"};
    child.stdout_path = broker->directory() / "helper.out";
    child.stderr_path = broker->directory() / "helper.err";
    auto spawned = ChildProcess::spawn(child);
    REQUIRE(spawned.has_value());
    auto& helper = **spawned;
    INFO("helper stdout:\n" << helper.read_stdout() << "\nstderr:\n" << helper.read_stderr());
    REQUIRE(helper.wait_for_stdout("READY", kEventTimeout));
    REQUIRE(watcher->wait_for_message([](const auto& m) { return m.payload == "online"; },
                                      kEventTimeout));

    REQUIRE(helper.send_signal(SIGKILL).has_value());
    const auto status = helper.wait_for(kEventTimeout);
    REQUIRE(status.has_value());
    CHECK_FALSE(status->exited);
    CHECK(status->signal == SIGKILL);
    CHECK(status->describe() == "signal 9 (Killed)");

    REQUIRE(watcher->wait_for_message([](const auto& m) { return m.payload == "offline"; },
                                      kEventTimeout));
    auto late = connect_client(*broker);
    REQUIRE(late->subscribe("passerelle/gw/status").has_value());
    const auto retained = late->wait_for_messages(1, kEventTimeout);
    REQUIRE(retained.size() == 1);
    CHECK(retained[0].payload == "offline");
    CHECK(retained[0].retained);
}

TEST_CASE("child process helper: exit codes, output capture, terminate", "[support]") {
    const auto directory = std::filesystem::temp_directory_path();
    ChildOptions options;
    options.executable = "/bin/sh";
    options.args = {"-c", "echo out; echo err >&2; echo \"$PASSERELLE_X\"; exit 3"};
    options.stdout_path = directory / fmt::format("passerelle-child-{}.out", ::getpid());
    options.stderr_path = directory / fmt::format("passerelle-child-{}.err", ::getpid());
    options.environment = {{"PASSERELLE_X", "from-env"}};
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(kEventTimeout);
    REQUIRE(status.has_value());
    CHECK(status->exited);
    CHECK(status->code == 3);
    CHECK(status->describe() == "exit code 3");
    CHECK((*child)->read_stdout() == "out\nfrom-env\n");
    CHECK((*child)->read_stderr() == "err\n");
    CHECK_FALSE((*child)->send_signal(SIGTERM).has_value());

    ChildOptions sleeper;
    sleeper.executable = "/bin/sleep";
    sleeper.args = {"30"};
    auto sleeping = ChildProcess::spawn(sleeper);
    REQUIRE(sleeping.has_value());
    CHECK((*sleeping)->running());
    CHECK_FALSE((*sleeping)->wait_for(50ms).has_value());
    const ExitStatus ended = (*sleeping)->terminate(5s);
    CHECK(ended.signal == SIGTERM);

    ChildOptions missing;
    missing.executable = "/nonexistent/program";
    const auto failed = ChildProcess::spawn(missing);
    // posix_spawn reports exec failure either at once or as exit code 127, depending on libc.
    if (failed.has_value()) {
        const auto missing_status = (*failed)->wait_for(kEventTimeout);
        REQUIRE(missing_status.has_value());
        CHECK(missing_status->code == 127);
    } else {
        CHECK(failed.error().code == "child.spawn");
    }
    std::filesystem::remove(options.stdout_path);
    std::filesystem::remove(options.stderr_path);
}

}  // namespace
}  // namespace passerelle::testing
