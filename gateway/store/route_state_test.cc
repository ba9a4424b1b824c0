// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/route_state.h"

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

TEST_CASE("route groups are kept by key, replaced, removed, and survive a reopening") {
    testing::ScratchDir dir;
    {
        auto database = migrated_store(dir / "store.db");
        auto groups = RouteState::open(database);
        REQUIRE(groups);
        REQUIRE(groups->put("0/canicule/hs-bat-a", R"({"sequence":1})"));
        REQUIRE(groups->put("0/canicule/ln-bat-b", R"({"sequence":1})"));
        REQUIRE(groups->put("0/canicule/hs-bat-a", R"({"sequence":2})"));
        REQUIRE(groups->remove("0/canicule/ln-bat-b"));
        REQUIRE(groups->remove("absent"));
    }
    auto database = migrated_store(dir / "store.db");
    auto groups = RouteState::open(database);
    REQUIRE(groups);
    const auto all = groups->all();
    REQUIRE(all);
    REQUIRE(all->size() == 1);
    CHECK(all->at(0).first == "0/canicule/hs-bat-a");
    CHECK(all->at(0).second == R"({"sequence":2})");
    CHECK(groups->all()->size() == 1);  // the statement runs again
}

}  // namespace
}  // namespace passerelle::store
