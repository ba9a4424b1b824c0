// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/store.h"

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

TEST_CASE("the store is created in its data directory, locked while open, and read beside") {
    testing::ScratchDir dir;
    const auto data = dir / "data" / "nested";
    auto store = Store::open(data);
    REQUIRE(store);
    CHECK(std::filesystem::exists(data / Store::kFileName));
    REQUIRE((*store)->outbox().put(OutboxEntry{
        0, {"ccas", "r", "a", "firing", {}, "notify/ccas/r"}, "{}", 1, false, Timestamp{}}));

    const auto second = Store::open(data);
    REQUIRE_FALSE(second);
    CHECK(second.error().code == "store.locked");

    auto reader = open_store_for_reading(data);
    REQUIRE(reader);
    auto count = reader->prepare("SELECT count(*) FROM outbox");
    REQUIRE(count);
    REQUIRE(*count->step());
    CHECK(count->int64(0) == 1);

    store->reset();
    CHECK(Store::open(data));
}

TEST_CASE("reading a store that is missing or of another schema version says so") {
    testing::ScratchDir dir;
    CHECK(open_store_for_reading(dir.path()).error().code == "store.open");
    {
        auto database = Database::open(dir / Store::kFileName);
        REQUIRE(database);
        REQUIRE(database->execute("PRAGMA user_version = 0"));
    }
    const auto old = open_store_for_reading(dir.path());
    REQUIRE_FALSE(old);
    CHECK(old.error().code == "store.other-schema");
}

}  // namespace
}  // namespace passerelle::store
