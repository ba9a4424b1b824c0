// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/ingest_journal.h"

#include <fstream>
#include <thread>

#include "gateway/store/journal_position.h"
#include "gateway/store/store.h"
#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<IngestJournal> open_journal(const fs::path& dir, std::uint64_t evaluated,
                                            IngestJournal::Recovery& recovery,
                                            std::size_t segment_bytes = 1U << 20U) {
    auto journal = IngestJournal::open(dir, evaluated, recovery, segment_bytes);
    INFO((journal ? "" : journal.error().message));
    REQUIRE(journal);
    return std::move(*journal);
}

std::vector<std::string> topics(const std::vector<IngestJournal::Entry>& entries) {
    std::vector<std::string> names;
    for (const auto& entry : entries) {
        names.push_back(entry.topic);
    }
    return names;
}

std::size_t segment_files(const fs::path& dir) {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        count += entry.path().extension() == ".seg" ? 1 : 0;
    }
    return count;
}

TEST_CASE(
    "the journal gives back, after a restart, what was received after the evaluated position") {
    testing::ScratchDir dir;
    IngestJournal::Recovery recovery;
    {
        auto journal = open_journal(dir.path(), 0, recovery);
        CHECK(recovery.unevaluated.empty());
        CHECK(*journal->append("telemetry/a/t1/temperature", R"({"v":21.5})") == 1);
        CHECK(*journal->append("telemetry/a/t2/temperature", std::string("\0\xff binary", 9)) == 2);
        CHECK(*journal->append("signal/ville/level", "") == 3);
        CHECK(journal->last_sequence() == 3);
    }  // the process dies here: nothing was released
    auto journal = open_journal(dir.path(), 1, recovery);
    REQUIRE(recovery.unevaluated.size() == 2);
    CHECK(recovery.unevaluated[0].sequence == 2);
    CHECK(recovery.unevaluated[0].topic == "telemetry/a/t2/temperature");
    CHECK(recovery.unevaluated[0].payload == std::string("\0\xff binary", 9));
    CHECK(recovery.unevaluated[1].payload.empty());
    CHECK(recovery.damaged_bytes == 0);
    // Numbering goes on: a position written by the previous run never names a new message.
    CHECK(*journal->append("x", "y") == 4);
}

TEST_CASE("segments entirely evaluated are deleted, at start and when released") {
    testing::ScratchDir dir;
    IngestJournal::Recovery recovery;
    {
        auto journal = open_journal(dir.path(), 0, recovery, 64);
        for (int i = 0; i < 10; ++i) {
            REQUIRE(journal->append("telemetry/a/t/temperature", "payload of some length"));
        }
        CHECK(journal->segment_count() == 10);  // one record fills a 64-byte segment
        journal->release_through(4);
        CHECK(journal->segment_count() == 6);
        CHECK(segment_files(dir.path()) == 6);
        journal->release_through(10);
        CHECK(journal->segment_count() == 1);  // the one written stays
    }
    auto journal = open_journal(dir.path(), 10, recovery, 64);
    CHECK(recovery.unevaluated.empty());
    CHECK(recovery.segments_kept == 0);
    CHECK(segment_files(dir.path()) == 1);  // the new, empty one
    CHECK(*journal->append("a", "b") == 11);
}

TEST_CASE("a damaged tail is dropped and counted, the whole records before it kept") {
    testing::ScratchDir dir;
    IngestJournal::Recovery recovery;
    fs::path segment;
    {
        auto journal = open_journal(dir.path(), 0, recovery);
        REQUIRE(journal->append("t/1", "one"));
        REQUIRE(journal->append("t/2", "two"));
        segment = fs::directory_iterator(dir.path())->path();
    }
    const auto whole = fs::file_size(segment);

    SECTION("a record cut short") {
        std::ofstream(segment, std::ios::app | std::ios::binary) << std::string("\x20\0\0\0ab", 6);
        open_journal(dir.path(), 0, recovery);
        CHECK(topics(recovery.unevaluated) == std::vector<std::string>{"t/1", "t/2"});
        CHECK(recovery.damaged_bytes == 6);
    }
    SECTION("a byte changed in the last record") {
        std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(whole) - 1);
        file.put('X');
        file.close();
        open_journal(dir.path(), 0, recovery);
        CHECK(topics(recovery.unevaluated) == std::vector<std::string>{"t/1"});
        CHECK(recovery.damaged_bytes > 0);
    }
    SECTION("a size field beyond the file") {
        std::ofstream(segment, std::ios::app | std::ios::binary)
            << std::string("\xff\xff\xff\x7f\0\0\0\0", 8);
        open_journal(dir.path(), 0, recovery);
        CHECK(recovery.unevaluated.size() == 2);
        CHECK(recovery.damaged_bytes == 8);
    }
    SECTION("a file that is not a segment") {
        std::ofstream(segment, std::ios::trunc | std::ios::binary) << "not a journal";
        open_journal(dir.path(), 0, recovery);
        CHECK(recovery.unevaluated.empty());
        CHECK(recovery.damaged_bytes == 13);
    }
}

TEST_CASE("files that are not segments are left alone") {
    testing::ScratchDir dir;
    IngestJournal::Recovery recovery;
    fs::path segment;
    {
        auto journal = open_journal(dir.path(), 0, recovery);
        REQUIRE(journal->append("t/1", "one"));
        segment = fs::directory_iterator(dir.path())->path();
    }
    // A copy under another name (an operator's backup) holds valid records: never read, kept.
    fs::copy_file(segment, dir / "backup.seg");
    std::ofstream(dir / "notes.txt") << "x";
    open_journal(dir.path(), 0, recovery);
    CHECK(recovery.unevaluated.size() == 1);
    CHECK(fs::exists(dir / "backup.seg"));
    CHECK(fs::exists(dir / "notes.txt"));
}

TEST_CASE("appends from several threads get distinct numbers, all read back") {
    testing::ScratchDir dir;
    IngestJournal::Recovery recovery;
    {
        auto journal = open_journal(dir.path(), 0, recovery, 4096);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&journal, t] {
                for (int i = 0; i < 250; ++i) {
                    REQUIRE(journal->append("t/" + std::to_string(t), std::to_string(i)));
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(journal->last_sequence() == 1000);
    }
    open_journal(dir.path(), 0, recovery, 4096);
    REQUIRE(recovery.unevaluated.size() == 1000);
    for (std::size_t i = 0; i < recovery.unevaluated.size(); ++i) {
        CHECK(recovery.unevaluated[i].sequence == i + 1);
    }
}

TEST_CASE("a journal folder that cannot be created is an error naming it") {
    testing::ScratchDir dir;
    std::ofstream(dir / "file") << "x";
    IngestJournal::Recovery recovery;
    const auto journal = IngestJournal::open(dir / "file" / "journal", 0, recovery);
    REQUIRE_FALSE(journal);
    CHECK(journal.error().code == "store.io");
    CHECK_THAT(journal.error().message, Catch::Contains("file/journal"));
}

TEST_CASE("the store keeps the evaluated position and hands the rest of the journal over") {
    testing::ScratchDir dir;
    {
        auto store = Store::open(dir.path());
        REQUIRE(store);
        auto& journal = (*store)->journal();
        for (int i = 0; i < 5; ++i) {
            REQUIRE(journal.append("t/" + std::to_string(i), "{}"));
        }
        auto transaction = Transaction::begin((*store)->database());
        REQUIRE(transaction);
        REQUIRE((*store)->journal_position().set_evaluated_through(3));
        REQUIRE(transaction->commit());
    }
    auto store = Store::open(dir.path());
    REQUIRE(store);
    CHECK(*(*store)->journal_position().evaluated_through() == 3);
    const auto recovery = (*store)->take_journal_recovery();
    CHECK(topics(recovery.unevaluated) == std::vector<std::string>{"t/3", "t/4"});
    CHECK((*store)->take_journal_recovery().unevaluated.empty());
}

}  // namespace
}  // namespace passerelle::store
