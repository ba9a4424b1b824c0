// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/instance_lock.h"

#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "tests/support/temp_dir.h"

namespace passerelle::store {
namespace {

TEST_CASE("a second instance on the same data directory is refused until the first one goes") {
    testing::ScratchDir dir;
    std::optional<InstanceLock> first;
    {
        auto acquired = InstanceLock::acquire(dir.path());
        REQUIRE(acquired);
        first.emplace(std::move(*acquired));
    }
    const auto second = InstanceLock::acquire(dir.path());
    REQUIRE_FALSE(second);
    CHECK(second.error().code == "store.locked");
    CHECK_THAT(second.error().message, Catch::Contains("process " + std::to_string(::getpid())) &&
                                           Catch::Contains(dir.path().string()));

    first.reset();
    CHECK(InstanceLock::acquire(dir.path()));
}

TEST_CASE("a data directory that does not exist is an I/O error naming the lock file") {
    testing::ScratchDir dir;
    const auto lock = InstanceLock::acquire(dir / "missing");
    REQUIRE_FALSE(lock);
    CHECK(lock.error().code == "store.io");
    CHECK_THAT(lock.error().message, Catch::Contains("passerelle.lock"));
}

}  // namespace
}  // namespace passerelle::store
