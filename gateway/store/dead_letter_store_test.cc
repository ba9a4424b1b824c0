// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/dead_letter_store.h"

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

TEST_CASE("dead letters are kept with their reason and payload, newest first, until pruned") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto letters = DeadLetterStore::open(database);
    REQUIRE(letters);
    const Timestamp t0(std::chrono::seconds(1'751'000'000));
    REQUIRE(letters->add(
        {t0, "telemetry/x/y/z", "senml.bad-value", "not a number", std::string("\xff\x00{", 3)}));
    REQUIRE(letters->add({t0 + std::chrono::hours(1), "wmbus/r/telegram", "meter.unknown",
                          "unknown meter", "2e44"}));
    const auto latest = letters->latest(10);
    REQUIRE(latest);
    REQUIRE(latest->size() == 2);
    CHECK(latest->at(0).code == "meter.unknown");
    CHECK(latest->at(1).payload == std::string("\xff\x00{", 3));
    CHECK(latest->at(1).received == t0);
    CHECK(letters->latest(1)->size() == 1);

    CHECK(*letters->prune(t0 + std::chrono::minutes(1)) == 1);
    CHECK(letters->latest(10)->size() == 1);
}

}  // namespace
}  // namespace passerelle::store
