// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/outbox.h"

#include <catch2/catch.hpp>

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

OutboxEntry entry(const std::string& alert, const std::string& payload) {
    NotificationRecord what{"ccas",
                            "canicule-logement",
                            alert,
                            "firing",
                            std::vector<std::string>{"habitat-sud", "ccas"},
                            "notify/ccas/canicule-logement/logt-1"};
    return OutboxEntry{0, what, payload, 1, false, Timestamp(Duration(1'751'000'000'123'456))};
}

TEST_CASE("the outbox gives back what was put and not removed, in publish order") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto outbox = Outbox::open(database);
    REQUIRE(outbox);
    const auto first = outbox->put(entry("a-1", R"({"n":1})"));
    const auto second = outbox->put(entry("a-2", R"({"n":2})"));
    const auto third = outbox->put(entry("a-3", R"({"n":3})"));
    REQUIRE((first && second && third));
    CHECK(*first < *second);
    CHECK(*second < *third);
    CHECK(*outbox->size() == 3);

    REQUIRE(outbox->remove(*second));
    REQUIRE(outbox->remove(*second));  // a repeated PUBACK
    const auto pending = outbox->pending(0, 10);
    REQUIRE(pending);
    REQUIRE(pending->size() == 2);
    CHECK((*pending)[0].what.alert_id == "a-1");
    CHECK((*pending)[0].payload == R"({"n":1})");
    CHECK((*pending)[0].created == Timestamp(Duration(1'751'000'000'123'456)));
    CHECK((*pending)[0].what.providers == std::vector<std::string>{"habitat-sud", "ccas"});
    CHECK((*pending)[0].what.topic == "notify/ccas/canicule-logement/logt-1");
    CHECK((*pending)[0].qos == 1);
    CHECK_FALSE((*pending)[0].retained);
    CHECK((*pending)[1].what.alert_id == "a-3");

    const auto page = outbox->pending((*pending)[0].id, 10);
    REQUIRE(page);
    REQUIRE(page->size() == 1);
    CHECK(page->front().what.alert_id == "a-3");
    CHECK(outbox->pending(0, 1)->size() == 1);

    CHECK(*outbox->holds("a-1", "firing", "ccas"));
    CHECK_FALSE(*outbox->holds("a-2", "firing", "ccas"));  // acknowledged
    CHECK_FALSE(*outbox->holds("a-1", "resolved", "ccas"));
    CHECK_FALSE(*outbox->holds("a-1", "firing", "habitat-sud"));
}

TEST_CASE("what the outbox holds survives closing the store") {
    testing::ScratchDir dir;
    {
        auto database = migrated_store(dir / "store.db");
        auto outbox = Outbox::open(database);
        REQUIRE(outbox);
        REQUIRE(outbox->put(entry("kept", "{}")));
    }
    auto database = migrated_store(dir / "store.db");
    auto outbox = Outbox::open(database);
    REQUIRE(outbox);
    const auto pending = outbox->pending(0, 10);
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().what.alert_id == "kept");
}

}  // namespace
}  // namespace passerelle::store
