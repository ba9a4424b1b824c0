// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/reading_history.h"

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

Timestamp at(std::int64_t minutes) {
    return Timestamp(std::chrono::minutes(29'000'010 + minutes));
}

Reading temperature(const std::string& entity, double celsius, std::int64_t minute) {
    return Reading{"habitat-sud", entity, "temperature", celsius, "Cel", at(minute)};
}

void add(ReadingHistory& history, const Reading& reading) {
    history.add("telemetry/" + reading.provider + "/" + reading.entity + "/" + reading.quantity,
                reading);
}

std::vector<Reading> read_all(ReadingHistory& history, Timestamp since = Timestamp{}) {
    std::vector<Reading> readings;
    REQUIRE(history.read(since, [&](const ReadingHistory::Entry& e) {
        CHECK(e.topic == "telemetry/" + e.reading.provider + "/" + e.reading.entity + "/" +
                             e.reading.quantity);
        readings.push_back(e.reading);
    }));
    return readings;
}

TEST_CASE("readings are written in a batch and read back in the order they came, values exact") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto history = ReadingHistory::open(database);
    REQUIRE(history);
    add(*history, temperature("logt-2", 28.125, 2));
    add(*history, temperature("logt-1", 27.5, 1));
    add(*history, Reading{"ville", "canicule", "niveau", std::string("rouge"), "", at(1)});
    add(*history, Reading{"chaleur", "sst-nord", "alarme", true, "", at(3)});
    CHECK(*history->size() == 0);  // not before flush
    REQUIRE(history->flush());
    CHECK(history->buffered() == 0);

    const auto readings = read_all(*history);
    REQUIRE(readings.size() == 4);
    CHECK(readings[0].entity == "logt-2");  // first evaluated, though dated later
    CHECK(readings[1].entity == "logt-1");
    CHECK(std::get<double>(readings[1].value) == 27.5);
    CHECK(readings[1].unit == "Cel");
    CHECK(readings[1].time == at(1));
    CHECK(std::get<std::string>(readings[2].value) == "rouge");
    CHECK(readings[2].unit.empty());
    CHECK(std::get<bool>(readings[3].value));
    CHECK(read_all(*history, at(2)).size() == 2);
}

TEST_CASE("prune removes what the retention no longer covers") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto history = ReadingHistory::open(database);
    REQUIRE(history);
    for (int minute = 0; minute < 10; ++minute) {
        add(*history, temperature("logt-1", 20 + minute, minute));
    }
    REQUIRE(history->flush());
    CHECK(*history->prune(at(4)) == 4);
    const auto kept = read_all(*history);
    REQUIRE(kept.size() == 6);
    CHECK(kept.front().time == at(4));
}

TEST_CASE("downsampling keeps the latest reading of each series in each bucket, only when old") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto history = ReadingHistory::open(database);
    REQUIRE(history);
    // Buckets of 15 minutes from the epoch: at(0) starts one, at(15) the next.
    for (int minute = 0; minute < 30; minute += 5) {
        add(*history, temperature("logt-1", minute, minute));
        add(*history, temperature("logt-2", 100 + minute, minute));
    }
    REQUIRE(history->flush());
    const auto removed = history->downsample(at(15), std::chrono::minutes(15));
    REQUIRE(removed);
    CHECK(*removed == 4);  // minutes 0 and 5 of each series; 10 is their bucket's latest
    const auto kept = read_all(*history);
    REQUIRE(kept.size() == 8);
    CHECK(kept[0].time == at(10));
    CHECK(std::get<double>(kept[0].value) + std::get<double>(kept[1].value) == 120.0);
    CHECK(kept[2].time == at(15));  // newer than the cutoff: untouched
}

TEST_CASE("a failed flush keeps the batch for the next one, and shed bounds it") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto history = ReadingHistory::open(database);
    REQUIRE(history);
    add(*history, temperature("logt-1", 21, 0));
    REQUIRE(
        database.execute("CREATE TRIGGER refuse BEFORE INSERT ON readings "
                         "BEGIN SELECT RAISE(FAIL, 'disk is full'); END"));
    const auto failed = history->flush();
    REQUIRE_FALSE(failed);
    CHECK_THAT(failed.error().message, Catch::Contains("disk is full"));
    CHECK(history->buffered() == 1);
    add(*history, temperature("logt-1", 22, 1));
    add(*history, temperature("logt-1", 23, 2));
    CHECK(history->shed(2) == 1);

    REQUIRE(database.execute("DROP TRIGGER refuse"));
    REQUIRE(history->flush());
    const auto kept = read_all(*history);
    REQUIRE(kept.size() == 2);
    CHECK(std::get<double>(kept[0].value) == 22.0);  // the oldest was shed
}

}  // namespace
}  // namespace passerelle::store
