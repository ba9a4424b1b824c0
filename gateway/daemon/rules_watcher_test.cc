// SPDX-License-Identifier: Apache-2.0
// Real files in a temporary folder: each way of changing a rules file makes exactly one callback.
#include "gateway/daemon/rules_watcher.h"

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <catch2/catch.hpp>

using passerelle::daemon::RulesWatcher;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto kDebounce = 200ms;
// How long a callback may take to come on a loaded machine.
constexpr auto kDeadline = 10s;
// How long after a callback a second one would have come, were there one.
constexpr auto kSettle = kDebounce * 4;

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
}

/// A folder `rules/` holding `a.yaml`, watched with the pattern `<folder>/rules/*.yaml`.
class WatchedFolder {
public:
    WatchedFolder() {
        char pattern[] = "/tmp/passerelle-watcher-test.XXXXXX";
        root_ = ::mkdtemp(pattern);
        fs::create_directories(rules());
        write(rules() / "a.yaml", "version: 1\n");
        auto watcher = RulesWatcher::create({(rules() / "*.yaml").string()}, kDebounce);
        REQUIRE(watcher.has_value());
        watcher_ = std::move(*watcher);
        watcher_->start([this] {
            const std::lock_guard lock(mutex_);
            ++calls_;
            called_.notify_all();
        });
    }
    ~WatchedFolder() {
        watcher_.reset();
        fs::remove_all(root_);
    }

    fs::path root() const { return root_; }
    fs::path rules() const { return root_ / "rules"; }
    /// The number of callbacks once there are `count`, or after `timeout`.
    int wait_for_calls(int count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        called_.wait_for(lock, timeout, [&] { return calls_ >= count; });
        return calls_;
    }

private:
    fs::path root_;
    std::unique_ptr<RulesWatcher> watcher_;
    std::mutex mutex_;
    std::condition_variable called_;
    int calls_ = 0;
};

}  // namespace

TEST_CASE("each way of changing a rules file makes one callback", "[watcher]") {
    WatchedFolder folder;
    const fs::path a = folder.rules() / "a.yaml";
    SECTION("a new file matching the pattern") {
        write(folder.rules() / "b.yaml", "version: 1\n");
    }
    SECTION("truncated, then written in several steps") {
        std::ofstream out(a, std::ios::trunc);
        out << "version: 1\n" << std::flush;
        out << "rules: []\n" << std::flush;
    }
    SECTION("a temporary file renamed over it") {
        write(folder.rules() / ".a.yaml.tmp", "version: 1\nrules: []\n");
        fs::rename(folder.rules() / ".a.yaml.tmp", a);
    }
    SECTION("deleted") {
        fs::remove(a);
    }
    SECTION("touched") {
        fs::last_write_time(a, fs::last_write_time(a) + 1h);
    }
    CHECK(folder.wait_for_calls(1, kDeadline) == 1);
    CHECK(folder.wait_for_calls(2, kSettle) == 1);
}

TEST_CASE("files matching no rules pattern are ignored", "[watcher]") {
    WatchedFolder folder;
    write(folder.rules() / ".a.yaml.swp", "swap");  // '*' does not match a leading '.'
    write(folder.rules() / "a.yaml~", "backup");
    write(folder.rules() / "notes.txt", "notes");
    write(folder.root() / "elsewhere.yaml", "version: 1\n");
    CHECK(folder.wait_for_calls(1, kSettle) == 0);
    write(folder.rules() / "a.yaml", "version: 1\nrules: []\n");
    CHECK(folder.wait_for_calls(1, kDeadline) == 1);
}

TEST_CASE("a rules folder swapped for another is watched in its place", "[watcher]") {
    WatchedFolder folder;
    fs::create_directories(folder.root() / "next");
    write(folder.root() / "next" / "a.yaml", "version: 1\nrules: []\n");
    fs::rename(folder.rules(), folder.root() / "previous");
    fs::rename(folder.root() / "next", folder.rules());
    REQUIRE(folder.wait_for_calls(1, kDeadline) == 1);
    write(folder.rules() / "a.yaml", "version: 1\n");
    CHECK(folder.wait_for_calls(2, kDeadline) == 2);
    CHECK(folder.wait_for_calls(3, kSettle) == 2);
}
