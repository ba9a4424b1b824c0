// SPDX-License-Identifier: Apache-2.0
// The store tests' starting point: a migrated store file in a scratch directory.
#pragma once

#include <catch2/catch.hpp>

#include "gateway/store/schema.h"
#include "tests/support/temp_dir.h"

namespace passerelle::store {

inline Database migrated_store(const std::filesystem::path& file) {
    auto database = Database::open(file);
    INFO((database ? "" : database.error().message));
    REQUIRE(database);
    REQUIRE(migrate(*database));
    return std::move(*database);
}

}  // namespace passerelle::store
