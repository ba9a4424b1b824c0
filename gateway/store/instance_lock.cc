// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/instance_lock.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

namespace passerelle::store {
namespace {

std::string read_holder(int fd) {
    char buffer[32] = {};
    const ssize_t size = pread(fd, buffer, sizeof buffer - 1, 0);
    std::string holder(buffer, size > 0 ? static_cast<std::size_t>(size) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) {
        holder.pop_back();
    }
    return holder;
}

}  // namespace

Result<InstanceLock> InstanceLock::acquire(const std::filesystem::path& data_dir) {
    const auto file = data_dir / "passerelle.lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error("store.io",
                          fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
    }
    InstanceLock lock(fd);  // closes fd on every way out
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            const std::string holder = read_holder(fd);
            return make_error(
                "store.locked",
                fmt::format("another passerelle{} uses the store in {}: stop it, or "
                            "give this one another --data directory",
                            holder.empty() ? "" : " (process " + holder + ")", data_dir.string()));
        }
        return make_error("store.io",
                          fmt::format("cannot lock {}: {}", file.string(), std::strerror(errno)));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (ftruncate(fd, 0) != 0 ||
        pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        // The lock holds without the pid, which only makes the other instance's message vaguer.
    }
    return lock;
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

InstanceLock::~InstanceLock() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

}  // namespace passerelle::store
