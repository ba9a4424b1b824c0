// SPDX-License-Identifier: Apache-2.0
// The gateway's SQLite file: opening it in WAL mode, prepared statements, transactions. The only
// header of the project that names SQLite; everything above it speaks Result and plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace passerelle::store {

class Statement;

/// One connection to the store's file. Errors carry stable codes: store.open, store.full (disk or
/// quota full), store.read-only, store.io, store.busy (another writer held the lock too long),
/// store.corrupt and store.sql (a bug: a statement the schema does not accept).
class Database {
public:
    /// Opens or creates `file` (its directory must exist): write-ahead log, synchronous=NORMAL
    /// (a power cut may lose the last transactions but never corrupts the file), foreign keys on,
    /// and a busy timeout so a reader such as `passerelle audit` never makes a writer fail.
    static Result<Database> open(const std::filesystem::path& file);
    /// Opens an existing file for reading only (the audit and explain commands).
    static Result<Database> open_read_only(const std::filesystem::path& file);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Runs statements without parameters (schema changes, pragmas).
    Status execute(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    /// Rows changed by the latest INSERT, UPDATE or DELETE.
    std::int64_t changes() const;
    const std::filesystem::path& file() const { return file_; }

    /// The error of the latest failed call, as Result values carry it.
    Error error(std::string_view doing) const;

private:
    Database(sqlite3* handle, std::filesystem::path file)
        : handle_(handle), file_(std::move(file)) {}
    static Result<Database> open_with(const std::filesystem::path& file, int flags);

    sqlite3* handle_ = nullptr;
    std::filesystem::path file_;
};

/// A prepared statement: bind 1-based parameters, step through rows, reset to run it again.
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    /// Copied by SQLite: `value` may die before step().
    Statement& bind(int index, std::string_view value);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);

    /// True with a row to read, false when done; an error leaves the statement to reset().
    Result<bool> step();
    /// step() for statements that return no rows.
    Status run();
    /// Clears the bindings too, so that a forgotten bind is NULL rather than the previous value.
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    /// Text or blob bytes; valid until the next step() or reset().
    std::string_view text(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* handle, const Database& database)
        : handle_(handle), database_(&database) {}

    sqlite3_stmt* handle_ = nullptr;
    const Database* database_ = nullptr;
};

/// BEGIN IMMEDIATE … COMMIT; rolled back when destroyed uncommitted (an error or an exception on
/// the way). Immediate, so that a transaction never fails halfway for want of the write lock.
class Transaction {
public:
    static Result<Transaction> begin(Database& database);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Status commit();

private:
    explicit Transaction(Database& database) : database_(&database) {}
    Database* database_ = nullptr;
};

}  // namespace passerelle::store
