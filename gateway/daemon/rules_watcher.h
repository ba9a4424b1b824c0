// SPDX-License-Identifier: Apache-2.0
// Notices with inotify that files matching the rules globs were written, created, renamed or
// deleted, and calls back once they have been quiet for a while.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::daemon {

class RulesWatcher {
public:
    using Callback = std::function<void()>;

    /// Watches the folders of `patterns` (glob(3) patterns, as in the settings) from now on, so
    /// that a change made before start() is reported after it.
    /// @return "watch.inotify" when inotify cannot be used (e.g. too many instances).
    static Result<std::unique_ptr<RulesWatcher>> create(std::vector<std::string> patterns,
                                                        std::chrono::milliseconds debounce);
    /// Stops the thread.
    ~RulesWatcher();
    RulesWatcher(const RulesWatcher&) = delete;
    RulesWatcher& operator=(const RulesWatcher&) = delete;

    /// Calls `on_change` on the watcher's own thread once per burst of changes, when none came for
    /// `debounce`. Files whose names match no pattern (editors' swap and backup files) are ignored.
    void start(Callback on_change);

private:
    RulesWatcher(int inotify_fd, int stop_fd, std::vector<std::string> patterns,
                 std::chrono::milliseconds debounce);
    /// Adds watches for the folders the patterns name now: one recreated or newly matching a
    /// pattern is watched from then on. Logs the folders that cannot be watched.
    void arm();
    void loop();
    /// Reads the pending events; true if one of them concerns the rules.
    bool read_events();
    bool concerns_rules(int wd, const std::string& name) const;

    int inotify_fd_;
    int stop_fd_;  // an eventfd: written to stop the thread
    std::vector<std::string> patterns_;
    std::chrono::milliseconds debounce_;
    /// Watch descriptor → the prefixes making paths, as the patterns spell them, of names in it.
    std::map<int, std::set<std::string>> folders_;
    Callback on_change_;
    std::thread thread_;
};

}  // namespace passerelle::daemon
