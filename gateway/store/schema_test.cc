// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/schema.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace passerelle::store {
namespace {

TEST_CASE("a new store is migrated to the current schema, and migrating again changes nothing") {
    testing::ScratchDir dir;
    auto database = Database::open(dir / "store.db");
    REQUIRE(database);
    CHECK(*schema_version(*database) == 0);
    REQUIRE(migrate(*database));
    CHECK(*schema_version(*database) == current_schema_version());
    for (const char* table : {"outbox", "audit", "dead_letters", "readings"}) {
        INFO(table);
        CHECK(database->execute(std::string("SELECT count(*) FROM ") + table));
    }
    REQUIRE(database->execute("INSERT INTO dead_letters VALUES (1, 0, 't', 'c', 'r', x'00')"));
    REQUIRE(migrate(*database));
    auto kept = database->prepare("SELECT count(*) FROM dead_letters");
    REQUIRE(kept);
    REQUIRE(*kept->step());
    CHECK(kept->int64(0) == 1);
}

TEST_CASE("a store written by a newer Passerelle is refused") {
    testing::ScratchDir dir;
    auto database = Database::open(dir / "store.db");
    REQUIRE(database);
    REQUIRE(database->execute("PRAGMA user_version = 999"));
    const auto migrated = migrate(*database);
    REQUIRE_FALSE(migrated);
    CHECK(migrated.error().code == "store.newer-schema");
    CHECK_THAT(migrated.error().message, Catch::Contains("schema version 999"));
}

}  // namespace
}  // namespace passerelle::store
