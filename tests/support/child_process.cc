// SPDX-License-Identifier: Apache-2.0
// Child processes for tests, on posix_spawn (safe in a multi-threaded test process, unlike fork).
#include "tests/support/child_process.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX declares it nowhere

namespace passerelle::testing {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// Polling interval of the bounded waits below: short enough not to slow tests, long enough not to
// burn a core of a 2-core machine.
constexpr auto kPollInterval = 10ms;

/// Owns posix_spawn's file actions and attributes for the duration of one spawn.
class SpawnSetup {
public:
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attributes_);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attributes_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    posix_spawn_file_actions_t actions_{};
    posix_spawnattr_t attributes_{};
};

}  // namespace

std::string ExitStatus::describe() const {
    if (exited) {
        return fmt::format("exit code {}", code);
    }
    return fmt::format("signal {} ({})", signal, strsignal(signal));
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(ChildOptions options) {
    SpawnSetup setup;
    auto redirect = [&](int fd, const std::filesystem::path& path) {
        const std::string target = path.empty() ? std::string("/dev/null") : path.string();
        const int flags = path.empty() ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC;
        posix_spawn_file_actions_addopen(&setup.actions_, fd, target.c_str(), flags, 0644);
    };
    const std::string input =
        options.stdin_path.empty() ? std::string("/dev/null") : options.stdin_path.string();
    posix_spawn_file_actions_addopen(&setup.actions_, STDIN_FILENO, input.c_str(), O_RDONLY, 0);
    redirect(STDOUT_FILENO, options.stdout_path);
    redirect(STDERR_FILENO, options.stderr_path);
    if (!options.working_directory.empty()) {
        posix_spawn_file_actions_addchdir_np(&setup.actions_, options.working_directory.c_str());
    }
    // The child gets default signal handling and mask, whatever the test runner changed.
    sigset_t all;
    sigfillset(&all);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&setup.attributes_, &all);
    posix_spawnattr_setsigmask(&setup.attributes_, &none);
    posix_spawnattr_setflags(&setup.attributes_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> argv_text;
    argv_text.push_back(options.executable.string());
    argv_text.insert(argv_text.end(), options.args.begin(), options.args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_text) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    std::map<std::string, std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals != std::string_view::npos) {
            environment[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
        }
    }
    for (const auto& [name, value] : options.environment) {
        environment[name] = value;
    }
    std::vector<std::string> env_text;
    for (const auto& [name, value] : environment) {
        env_text.push_back(name + "=" + value);
    }
    std::vector<char*> envp;
    for (std::string& entry : env_text) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv_text[0].c_str(), &setup.actions_, &setup.attributes_,
                               argv.data(), envp.data());
    if (rc != 0) {
        return make_error("child.spawn", fmt::format("cannot start {}: {}",
                                                     options.executable.string(), strerror(rc)));
    }
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, std::move(options)));
}

ChildProcess::~ChildProcess() {
    if (!status_) {
        ::kill(pid_, SIGKILL);
        reap(true);
    }
}

bool ChildProcess::reap(bool block) {
    if (status_) {
        return true;
    }
    int raw = 0;
    pid_t result = 0;
    do {
        result = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result != pid_) {
        return false;
    }
    ExitStatus status;
    if (WIFEXITED(raw)) {
        status.exited = true;
        status.code = WEXITSTATUS(raw);
    } else if (WIFSIGNALED(raw)) {
        status.signal = WTERMSIG(raw);
    }
    status_ = status;
    return true;
}

bool ChildProcess::running() {
    return !reap(false);
}

Status ChildProcess::send_signal(int signal) {
    if (!running()) {
        return make_error("child.not-running", fmt::format("process {} has already ended", pid_));
    }
    if (::kill(pid_, signal) != 0) {
        return make_error("child.signal",
                          fmt::format("kill({}, {}): {}", pid_, signal, strerror(errno)));
    }
    return Ok{};
}

std::optional<ExitStatus> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!reap(false)) {
        if (SteadyClock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return status_;
}

ExitStatus ChildProcess::terminate(std::chrono::milliseconds grace) {
    if (running()) {
        ::kill(pid_, SIGTERM);
        if (!wait_for(grace)) {
            ::kill(pid_, SIGKILL);
            reap(true);
        }
    }
    return *status_;
}

std::string ChildProcess::read_stdout() const {
    return read_file(options_.stdout_path);
}
std::string ChildProcess::read_stderr() const {
    return read_file(options_.stderr_path);
}

bool ChildProcess::wait_for_stdout(std::string_view needle, std::chrono::milliseconds timeout) {
    return wait_for_text(options_.stdout_path, needle, timeout);
}

bool ChildProcess::wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) {
    return wait_for_text(options_.stderr_path, needle, timeout);
}

bool ChildProcess::wait_for_text(const std::filesystem::path& path, std::string_view needle,
                                 std::chrono::milliseconds timeout) {
    if (path.empty()) {
        return false;
    }
    const auto deadline = SteadyClock::now() + timeout;
    while (true) {
        // Check the exit first, then the file: output written just before exiting still counts.
        const bool ended = !running();
        if (read_file(path).find(needle) != std::string::npos) {
            return true;
        }
        if (ended || SteadyClock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

}  // namespace passerelle::testing
