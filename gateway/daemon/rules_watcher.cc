// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/rules_watcher.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <fnmatch.h>
#include <glob.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace passerelle::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// Writes in place, creations, deletions and renames in or out of a folder (a temporary file
// renamed over a rules file arrives as IN_MOVED_TO), attributes (a file made unreadable), and the
// folder itself going away.
constexpr std::uint32_t kMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB |
                                IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                IN_ONLYDIR;

// The folders holding a pattern's files now, each with the prefix that turns a name in it into a
// path spelled as the pattern spells it ("" for the working directory of a pattern "*.yaml").
std::vector<std::pair<std::string, std::string>> folders_of(const std::string& pattern) {
    const std::string parent = std::filesystem::path(pattern).parent_path().string();
    if (parent.empty()) {
        return {{".", ""}};
    }
    std::vector<std::pair<std::string, std::string>> folders;
    glob_t matches{};
    if (::glob(parent.c_str(), GLOB_ONLYDIR, nullptr, &matches) == 0) {
        for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
            std::string folder = matches.gl_pathv[i];
            std::string prefix = folder.ends_with('/') ? folder : folder + '/';
            folders.emplace_back(std::move(folder), std::move(prefix));
        }
    }
    ::globfree(&matches);
    return folders;
}

}  // namespace

Result<std::unique_ptr<RulesWatcher>> RulesWatcher::create(std::vector<std::string> patterns,
                                                           std::chrono::milliseconds debounce) {
    const int inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd < 0) {
        return make_error("watch.inotify",
                          fmt::format("cannot watch the rules files: {}", std::strerror(errno)));
    }
    const int stop_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (stop_fd < 0) {
        const int error = errno;
        ::close(inotify_fd);
        return make_error("watch.inotify",
                          fmt::format("cannot watch the rules files: {}", std::strerror(error)));
    }
    std::unique_ptr<RulesWatcher> watcher(
        new RulesWatcher(inotify_fd, stop_fd, std::move(patterns), debounce));
    watcher->arm();
    return watcher;
}

RulesWatcher::RulesWatcher(int inotify_fd, int stop_fd, std::vector<std::string> patterns,
                           std::chrono::milliseconds debounce)
    : inotify_fd_(inotify_fd),
      stop_fd_(stop_fd),
      patterns_(std::move(patterns)),
      debounce_(debounce) {}

RulesWatcher::~RulesWatcher() {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        // Cannot fail but on a counter overflow: the thread wakes at the first write.
        [[maybe_unused]] const auto written = ::write(stop_fd_, &one, sizeof one);
        thread_.join();
    }
    ::close(stop_fd_);
    ::close(inotify_fd_);
}

void RulesWatcher::start(Callback on_change) {
    on_change_ = std::move(on_change);
    thread_ = std::thread([this] { loop(); });
}

void RulesWatcher::arm() {
    for (const auto& pattern : patterns_) {
        for (const auto& [folder, prefix] : folders_of(pattern)) {
            const int wd = ::inotify_add_watch(inotify_fd_, folder.c_str(), kMask);
            if (wd < 0) {
                spdlog::warn("rules folder '{}' is not watched: {}; reload with SIGHUP", folder,
                             std::strerror(errno));
                continue;
            }
            folders_[wd].insert(prefix);
        }
    }
}

void RulesWatcher::loop() {
    std::array<pollfd, 2> fds{pollfd{inotify_fd_, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
    std::optional<Clock::time_point> quiet_at;
    while (true) {
        int timeout_ms = -1;
        if (quiet_at) {
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(*quiet_at - Clock::now());
            timeout_ms = static_cast<int>(std::max<std::int64_t>(left.count(), 0));
        }
        if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
            spdlog::error("rules files are no longer watched: {}; reload with SIGHUP",
                          std::strerror(errno));
            return;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            return;
        }
        if ((fds[0].revents & POLLIN) != 0 && read_events()) {
            quiet_at = Clock::now() + debounce_;
        }
        if (quiet_at && Clock::now() >= *quiet_at) {
            quiet_at.reset();
            // A folder deleted and created again, or a new one matching a pattern, is watched
            // before the rules are read, so that nothing written after this point is missed.
            arm();
            on_change_();
        }
    }
}

bool RulesWatcher::read_events() {
    bool relevant = false;
    alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
    while (true) {
        const ssize_t length = ::read(inotify_fd_, buffer.data(), buffer.size());
        if (length <= 0) {
            return relevant;  // EAGAIN: all read
        }
        for (ssize_t offset = 0; offset < length;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + offset);
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if ((event->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
                relevant = true;  // events lost, or a whole folder gone
            }
            if ((event->mask & IN_MOVE_SELF) != 0) {
                // Its path no longer names it: the next arm() watches what takes its place.
                ::inotify_rm_watch(inotify_fd_, event->wd);
            }
            if ((event->mask & IN_IGNORED) != 0) {
                folders_.erase(event->wd);
            } else if (event->len > 0 && concerns_rules(event->wd, event->name)) {
                relevant = true;
            }
        }
    }
}

bool RulesWatcher::concerns_rules(int wd, const std::string& name) const {
    const auto folder = folders_.find(wd);
    if (folder == folders_.end()) {
        return false;
    }
    for (const auto& prefix : folder->second) {
        const std::string path = prefix + name;
        for (const auto& pattern : patterns_) {
            // As glob(3) reads it: '*' stops at '/' and does not match a leading '.'.
            if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace passerelle::daemon
