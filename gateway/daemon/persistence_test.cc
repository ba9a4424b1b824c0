// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/persistence.h"

#include <set>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace passerelle::daemon {
namespace {

const Timestamp kNow(std::chrono::seconds(1'751'000'000));

std::unique_ptr<store::Store> open_store(const testing::ScratchDir& dir) {
    auto store = store::Store::open(dir.path());
    INFO((store ? "" : store.error().message));
    REQUIRE(store);
    return std::move(*store);
}

store::NotificationRecord notice(const std::string& alert, const std::string& what = "firing") {
    return {"ccas", "canicule-logement", alert,
            what,   {"habitat-sud"},     "notify/ccas/canicule-logement/logt-1"};
}

Reading temperature(double celsius, int minute) {
    return Reading{"habitat-sud", "logt-1", "temperature",
                   celsius,       "Cel",    kNow + std::chrono::minutes(minute)};
}

std::vector<Reading> replayed(Persistence& persistence) {
    std::vector<Reading> readings;
    REQUIRE(persistence.replay(Timestamp{}, [&](const store::ReadingHistory::Entry& e) {
        readings.push_back(e.reading);
    }));
    return readings;
}

TEST_CASE("the journal's evaluated position is written with the readings, and only then") {
    testing::ScratchDir dir;
    {
        Persistence persistence(open_store(dir), {});
        for (int i = 0; i < 4; ++i) {
            REQUIRE(persistence.journal().append("telemetry/habitat-sud/logt-1/temperature", "{}"));
        }
        persistence.add_reading("telemetry/habitat-sud/logt-1/temperature", temperature(29, 0));
        persistence.evaluated(1);
        persistence.evaluated(2);
        const auto start = std::chrono::steady_clock::now();
        CHECK_FALSE(persistence.commit_due(start));
        CHECK(persistence.commit_due(start + std::chrono::milliseconds(150)));
        persistence.commit(kNow);
        persistence.evaluated(3);  // evaluated, never committed: a crash comes first
    }
    Persistence persistence(open_store(dir), {});
    CHECK(replayed(persistence).size() == 1);
    const auto recovery = persistence.store().take_journal_recovery();
    REQUIRE(recovery.unevaluated.size() == 2);
    CHECK(recovery.unevaluated[0].sequence == 3);
    CHECK(recovery.unevaluated[1].sequence == 4);
}

TEST_CASE("a message that gave no reading still moves the position, within the interval") {
    testing::ScratchDir dir;
    Persistence persistence(open_store(dir), {});
    REQUIRE(persistence.journal().append("telemetry/x/y/z", "not SenML"));
    persistence.evaluated(1);
    CHECK(persistence.commit_due(std::chrono::steady_clock::now() + std::chrono::seconds(1)));
    persistence.commit(kNow);
    CHECK_FALSE(persistence.commit_due(std::chrono::steady_clock::now() + std::chrono::seconds(1)));
    CHECK(*persistence.store().journal_position().evaluated_through() == 1);
}

TEST_CASE("readings and the notifications they caused are written together, before publishing") {
    testing::ScratchDir dir;
    std::vector<ReadyNotification> ready;
    {
        Persistence persistence(open_store(dir), {});
        persistence.add_reading("telemetry/habitat-sud/logt-1/temperature", temperature(29, 0));
        CHECK_FALSE(persistence.commit_due(std::chrono::steady_clock::now()));
        REQUIRE(persistence.is_new(notice("a1")));
        persistence.stage(notice("a1"), R"({"alert_id":"a1"})");
        persistence.stage(notice("a2"), R"({"alert_id":"a2"})");
        CHECK(persistence.commit_due(std::chrono::steady_clock::now()));
        ready = persistence.commit(kNow);
        REQUIRE(ready.size() == 2);
        CHECK(ready[0].id < ready[1].id);
        CHECK(ready[0].what.alert_id == "a1");
        CHECK(ready[1].payload == R"({"alert_id":"a2"})");
        CHECK(persistence.outbox_size() == 2);
        CHECK_FALSE(persistence.is_new(notice("a1")));  // queued
        CHECK(persistence.is_new(notice("a1", "resolved")));
        persistence.delivered(ready[0].id, kNow);
        CHECK(persistence.outbox_size() == 1);
        CHECK_FALSE(persistence.is_new(notice("a1")));  // sent
        CHECK(persistence.counters().repeats_skipped == 2);
    }
    // After a crash: the unacknowledged one comes back with its id, the readings are there.
    Persistence persistence(open_store(dir), {});
    const auto again = persistence.unacknowledged();
    REQUIRE(again);
    REQUIRE(again->size() == 1);
    CHECK(again->front().id == ready[1].id);
    CHECK(again->front().payload == R"({"alert_id":"a2"})");
    CHECK(again->front().what.recipient == "ccas");
    const auto readings = replayed(persistence);
    REQUIRE(readings.size() == 1);
    CHECK(std::get<double>(readings.front().value) == 29.0);

    persistence.delivered(again->front().id, kNow);
    CHECK(persistence.outbox_size() == 0);
    const auto audit = persistence.store().audit().query({});
    REQUIRE(audit);
    REQUIRE(audit->size() == 2);
    CHECK(audit->at(1).what.alert_id == "a2");
    CHECK(audit->at(1).payload_sha256 == store::sha256_hex(R"({"alert_id":"a2"})"));
    CHECK_FALSE(persistence.store().audit().verify()->broken_at);
}

TEST_CASE("readings are committed when a batch is full or has waited its interval") {
    testing::ScratchDir dir;
    PersistenceLimits limits;
    limits.batch = 3;
    limits.interval = std::chrono::milliseconds(50);
    Persistence persistence(open_store(dir), limits);
    const auto start = std::chrono::steady_clock::now();
    persistence.add_reading("t", temperature(20, 0));
    CHECK_FALSE(persistence.commit_due(start));
    CHECK(persistence.commit_due(start + std::chrono::milliseconds(60)));
    persistence.add_reading("t", temperature(21, 1));
    persistence.add_reading("t", temperature(22, 2));
    CHECK(persistence.commit_due(start));
    CHECK(persistence.commit(kNow).empty());
    CHECK(persistence.counters().readings_written == 3);
    CHECK_FALSE(persistence.commit_due(start + std::chrono::hours(1)));
}

TEST_CASE("a full disk: the rules go on, notifications go out, everything is written on recovery") {
    testing::ScratchDir dir;
    PersistenceLimits limits;
    limits.unwritten_limit = 2;
    Persistence persistence(open_store(dir), limits);
    auto& database = persistence.store().database();
    // SQLite reports SQLITE_FULL once the file may not grow: a disk with no room left.
    auto pages = database.prepare("PRAGMA page_count");
    REQUIRE(pages);
    REQUIRE(*pages->step());
    const auto page_count = pages->int64(0);
    pages->reset();
    REQUIRE(database.execute("PRAGMA max_page_count = " + std::to_string(page_count)));

    for (int minute = 0; minute < 200; ++minute) {
        persistence.add_reading("t", temperature(20 + minute % 10, minute));
    }
    persistence.stage(notice("full"), std::string(8000, 'x'));
    const auto ready = persistence.commit(kNow);
    REQUIRE(ready.size() == 1);  // published all the same, without a durable copy
    CHECK(persistence.failing());
    CHECK(persistence.counters().write_errors == 1);
    CHECK(persistence.counters().readings_lost == 198);  // two kept to write later
    CHECK(persistence.outbox_size() == 0);
    persistence.delivered(ready.front().id, kNow);  // its audit row waits too

    REQUIRE(database.execute("PRAGMA max_page_count = 1073741823"));
    CHECK(persistence.commit_due(std::chrono::steady_clock::now() + std::chrono::seconds(1)));
    CHECK(persistence.commit(kNow).empty());
    CHECK_FALSE(persistence.failing());
    CHECK(replayed(persistence).size() == 2);
    const auto audit = persistence.store().audit().query({});
    REQUIRE(audit);
    REQUIRE(audit->size() == 1);
    CHECK(audit->front().what.alert_id == "full");
}

TEST_CASE("beyond its limit the outbox is not written, and the overflow is counted") {
    testing::ScratchDir dir;
    PersistenceLimits limits;
    limits.outbox_limit = 2;
    Persistence persistence(open_store(dir), limits);
    for (const char* alert : {"a", "b", "c"}) {
        persistence.stage(notice(alert), "{}");
    }
    const auto ready = persistence.commit(kNow);
    REQUIRE(ready.size() == 3);
    CHECK(persistence.outbox_size() == 2);
    CHECK(persistence.counters().outbox_overflow == 1);
    CHECK_FALSE(persistence.failing());
    persistence.delivered(ready[2].id, kNow);  // audited all the same
    CHECK(persistence.store().audit().query({})->size() == 1);
}

TEST_CASE("a refused notification leaves the outbox without an audit row") {
    testing::ScratchDir dir;
    Persistence persistence(open_store(dir), {});
    persistence.stage(notice("refused"), "{}");
    const auto ready = persistence.commit(kNow);
    REQUIRE(ready.size() == 1);
    persistence.refused(ready.front().id);
    CHECK(persistence.outbox_size() == 0);
    CHECK(*persistence.store().outbox().size() == 0);
    CHECK(persistence.store().audit().query({})->empty());
    persistence.delivered(ready.front().id, kNow);  // a late acknowledgement: nothing to do
    CHECK(persistence.store().audit().query({})->empty());
}

TEST_CASE("housekeeping removes readings and dead letters past their retention") {
    testing::ScratchDir dir;
    Persistence persistence(open_store(dir), {});
    persistence.add_reading("t", temperature(20, -2 * 24 * 60));
    persistence.add_reading("t", temperature(21, 0));
    persistence.add_dead_letter({kNow - std::chrono::hours(50), "x", "c", "r", "p"});
    persistence.add_dead_letter({kNow, "y", "c", "r", "p"});
    REQUIRE(persistence.commit(kNow).empty());
    persistence.housekeeping(kNow, {std::chrono::hours(24), std::chrono::hours(48), std::nullopt,
                                    std::chrono::minutes(15)});
    CHECK(replayed(persistence).size() == 1);
    const auto letters = persistence.store().dead_letters().latest(10);
    REQUIRE(letters);
    REQUIRE(letters->size() == 1);
    CHECK(letters->front().topic == "y");
}

TEST_CASE("housekeeping thins readings older than downsample_after, one per series and bucket") {
    testing::ScratchDir dir;
    Persistence persistence(open_store(dir), {});
    for (int minute = -3 * 60; minute < 0; minute += 5) {  // every 5 minutes for 3 hours
        persistence.add_reading("t", temperature(20, minute));
    }
    REQUIRE(persistence.commit(kNow).empty());
    persistence.housekeeping(kNow, {std::chrono::hours(24), std::chrono::hours(24),
                                    std::chrono::hours(1), std::chrono::minutes(30)});
    // Older than an hour: one reading per half hour of the epoch's buckets; the last hour: all 12.
    std::set<std::int64_t> buckets;
    for (int minute = -3 * 60; minute < -60; minute += 5) {
        const auto time = kNow + std::chrono::minutes(minute);
        buckets.insert(
            std::chrono::duration_cast<std::chrono::minutes>(time.time_since_epoch()).count() / 30);
    }
    CHECK(buckets.size() == 5);  // two hours over unaligned buckets
    CHECK(replayed(persistence).size() == buckets.size() + 12);
}

}  // namespace
}  // namespace passerelle::daemon
