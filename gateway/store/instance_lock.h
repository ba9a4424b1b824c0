// SPDX-License-Identifier: Apache-2.0
// One gateway per store: two instances writing the same outbox would send every notification twice.
#pragma once

#include <filesystem>

#include "gateway/core/result.h"

namespace passerelle::store {

/// Holds an exclusive lock on `passerelle.lock` in the data directory for its lifetime. The
/// kernel drops the lock when the process dies, even by kill -9, so no stale lock survives.
class InstanceLock {
public:
    /// store.locked, naming the holder's process id, when another instance holds it.
    static Result<InstanceLock> acquire(const std::filesystem::path& data_dir);

    InstanceLock(InstanceLock&& other) noexcept;
    InstanceLock& operator=(InstanceLock&&) = delete;
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;
    ~InstanceLock();

private:
    explicit InstanceLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace passerelle::store
