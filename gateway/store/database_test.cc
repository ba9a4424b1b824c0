// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/database.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace passerelle::store {
namespace {

Database open_or_fail(const std::filesystem::path& file) {
    auto database = Database::open(file);
    INFO((database ? "" : database.error().message));
    REQUIRE(database);
    return std::move(*database);
}

TEST_CASE("a new store file is created in write-ahead-log mode") {
    testing::ScratchDir dir;
    auto database = open_or_fail(dir / "store.db");
    auto mode = database.prepare("PRAGMA journal_mode");
    REQUIRE(mode);
    REQUIRE(*mode->step());
    CHECK(mode->text(0) == "wal");
}

TEST_CASE("values written through bound statements are read back exactly") {
    testing::ScratchDir dir;
    auto database = open_or_fail(dir / "store.db");
    REQUIRE(database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)"));
    auto insert = database.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
    REQUIRE(insert);
    const std::string blob("a\0b", 3);
    {
        const std::string dying = "température";  // bind() copies: it may go before run()
        insert->bind(1, std::int64_t{-9007199254740993}).bind(2, 21.25).bind(3, dying);
    }
    insert->bind_blob(4, blob).bind_null(5);
    REQUIRE(insert->run());
    CHECK(database.last_insert_rowid() == 1);
    CHECK(database.changes() == 1);

    auto select = database.prepare("SELECT i, r, s, b, n FROM t");
    REQUIRE(select);
    REQUIRE(*select->step());
    CHECK(select->int64(0) == -9007199254740993);
    CHECK(select->real(1) == 21.25);
    CHECK(select->text(2) == "température");
    CHECK(select->text(3) == blob);
    CHECK(select->is_null(4));
    CHECK_FALSE(select->is_null(0));
    CHECK_FALSE(*select->step());
}

TEST_CASE("reset clears the bindings, so a forgotten bind is NULL") {
    testing::ScratchDir dir;
    auto database = open_or_fail(dir / "store.db");
    REQUIRE(database.execute("CREATE TABLE t (a TEXT NOT NULL)"));
    auto insert = database.prepare("INSERT INTO t VALUES (?1)");
    REQUIRE(insert);
    REQUIRE(insert->bind(1, std::string_view("x")).run());
    const auto again = insert->run();
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "store.sql");
    CHECK_THAT(again.error().message, Catch::Contains("NOT NULL"));
}

TEST_CASE("an uncommitted transaction is rolled back, a committed one kept") {
    testing::ScratchDir dir;
    auto database = open_or_fail(dir / "store.db");
    REQUIRE(database.execute("CREATE TABLE t (a INTEGER)"));
    {
        auto transaction = Transaction::begin(database);
        REQUIRE(transaction);
        REQUIRE(database.execute("INSERT INTO t VALUES (1)"));
    }
    {
        auto transaction = Transaction::begin(database);
        REQUIRE(transaction);
        REQUIRE(database.execute("INSERT INTO t VALUES (2)"));
        REQUIRE(transaction->commit());
    }
    auto select = database.prepare("SELECT group_concat(a) FROM t");
    REQUIRE(select);
    REQUIRE(*select->step());
    CHECK(select->text(0) == "2");
}

TEST_CASE("errors name the store file and say what failed") {
    testing::ScratchDir dir;
    auto database = open_or_fail(dir / "store.db");
    const auto prepared = database.prepare("SELECT * FROM nowhere");
    REQUIRE_FALSE(prepared);
    CHECK(prepared.error().code == "store.sql");
    CHECK_THAT(prepared.error().message, Catch::Contains((dir / "store.db").string()) &&
                                             Catch::Contains("no such table: nowhere"));

    const auto missing = Database::open(dir / "no-such-dir" / "store.db");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "store.open");

    const auto absent = Database::open_read_only(dir / "absent.db");
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == "store.open");
}

TEST_CASE("a file that is not a database is reported as corrupt, not overwritten") {
    testing::ScratchDir dir;
    {
        std::FILE* file = std::fopen((dir / "store.db").c_str(), "w");
        REQUIRE(file != nullptr);
        std::fputs("this is a configuration file, not a store, and it is long enough to matter\n",
                   file);
        std::fclose(file);
    }
    const auto database = Database::open(dir / "store.db");
    REQUIRE_FALSE(database);
    CHECK(database.error().code == "store.corrupt");
}

TEST_CASE("writing to a read-only store is a read-only error") {
    testing::ScratchDir dir;
    {
        auto database = open_or_fail(dir / "store.db");
        REQUIRE(database.execute("CREATE TABLE t (a INTEGER)"));
    }
    auto reader = Database::open_read_only(dir / "store.db");
    REQUIRE(reader);
    const auto written = reader->execute("INSERT INTO t VALUES (1)");
    REQUIRE_FALSE(written);
    CHECK(written.error().code == "store.read-only");
}

}  // namespace
}  // namespace passerelle::store
