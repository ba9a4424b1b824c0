// SPDX-License-Identifier: Apache-2.0
// A private Mosquitto broker for one test: free loopback port, own config and dir, restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/core/result.h"
#include "tests/support/child_process.h"

namespace passerelle::testing {

struct MosquittoOptions {
    /// Lines appended to the generated mosquitto.conf (e.g. `password_file ...`, `acl_file ...`);
    /// relative paths are best avoided: the broker runs in the test's working directory.
    std::vector<std::string> extra_config;
    /// Bound on the wait for the broker to accept TCP connections, per attempt.
    std::chrono::milliseconds start_timeout{5000};
};

/// Starts `mosquitto -c <dir>/mosquitto.conf` (the executable found by CMake) on 127.0.0.1:<port>,
/// where the port was free a moment before. Destroying it stops the broker and deletes the dir.
class MosquittoProcess {
public:
    /// @return "mosquitto.start" with the broker's log when it does not accept connections within
    ///         the timeout (after one retry on a new port if the port was taken meanwhile), or
    ///         "mosquitto.setup" when the temp dir, config or port cannot be had.
    static Result<std::unique_ptr<MosquittoProcess>> start(MosquittoOptions options = {});

    ~MosquittoProcess();
    MosquittoProcess(const MosquittoProcess&) = delete;
    MosquittoProcess& operator=(const MosquittoProcess&) = delete;

    /// SIGTERM (a clean shutdown), SIGKILL after 5 s; waits for the process. Idempotent.
    void stop();
    /// SIGKILL: the broker disappears without closing sessions cleanly (a crash).
    void kill();
    /// Starts again on the same port, stopping it first if running (for reconnect tests). The
    /// broker has `persistence false`: sessions and retained messages are gone after a restart.
    /// @return "mosquitto.start" as for start().
    Status restart();
    bool running();

    std::uint16_t port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    /// "tcp://127.0.0.1:<port>"
    std::string url() const;
    const std::filesystem::path& directory() const { return directory_; }
    std::filesystem::path config_path() const { return directory_ / "mosquitto.conf"; }
    /// The broker's log (all of its runs): worth printing when a test fails.
    std::string log() const;

private:
    MosquittoProcess(std::filesystem::path directory, MosquittoOptions options);
    Status launch();

    std::filesystem::path directory_;
    MosquittoOptions options_;
    std::uint16_t port_ = 0;
    int runs_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

/// A port on 127.0.0.1 that the kernel reports free now (bind to port 0, read it back, close).
/// @return "mosquitto.setup" with errno's text on failure.
Result<std::uint16_t> find_free_port();

/// Whether a TCP connection to 127.0.0.1:port succeeds now.
bool can_connect(std::uint16_t port);

}  // namespace passerelle::testing
