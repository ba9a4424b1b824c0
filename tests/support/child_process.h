// SPDX-License-Identifier: Apache-2.0
// Runs a child program for a test: arguments, captured stdout/stderr, signals, bounded waits.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

#include "gateway/core/result.h"

namespace passerelle::testing {

struct ChildOptions {
    std::filesystem::path executable;
    std::vector<std::string> args;  // without argv[0]
    /// Where stdout and stderr go (created or truncated). Empty: /dev/null.
    std::filesystem::path stdout_path;
    std::filesystem::path stderr_path;
    /// What stdin reads. Empty: /dev/null.
    std::filesystem::path stdin_path;
    /// Empty: the test's working directory.
    std::filesystem::path working_directory;
    /// Added to (or replacing in) the inherited environment: NAME, value.
    std::vector<std::pair<std::string, std::string>> environment;
};

/// How a child ended.
struct ExitStatus {
    bool exited = false;  // true: `code` is the exit code; false: killed by `signal`
    int code = 0;
    int signal = 0;

    bool success() const { return exited && code == 0; }
    /// "exit code 3", "signal 9 (Killed)".
    std::string describe() const;
};

/// One child process. Not copyable; the destructor kills (SIGKILL) and reaps it if still running.
class ChildProcess {
public:
    /// Starts the program with posix_spawn, stdin from options.stdin_path.
    /// @return "child.spawn" with errno's text when the program cannot be started.
    static Result<std::unique_ptr<ChildProcess>> spawn(ChildOptions options);

    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    /// Whether it has not been reaped yet (reaps it if it just ended).
    bool running();

    /// @return "child.not-running" after it was reaped, "child.signal" on kill(2) failure.
    Status send_signal(int signal);

    /// Waits up to `timeout` for the child to end; empty on timeout. Once ended, returns the same
    /// status on every call.
    std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);

    /// SIGTERM, then SIGKILL if it has not ended within `grace`; always reaps.
    ExitStatus terminate(std::chrono::milliseconds grace = std::chrono::milliseconds{5000});

    /// The text written so far to the stdout / stderr file ("" if not captured).
    std::string read_stdout() const;
    std::string read_stderr() const;

    /// Waits until the stdout (or stderr) file contains `needle`; false on timeout or if the child
    /// ended without writing it.
    bool wait_for_stdout(std::string_view needle, std::chrono::milliseconds timeout);
    bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout);

private:
    ChildProcess(pid_t pid, ChildOptions options) : pid_(pid), options_(std::move(options)) {}
    bool reap(bool block);
    bool wait_for_text(const std::filesystem::path& path, std::string_view needle,
                       std::chrono::milliseconds timeout);

    pid_t pid_;
    ChildOptions options_;
    std::optional<ExitStatus> status_;
};

/// The whole content of a file, or "" if it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace passerelle::testing
