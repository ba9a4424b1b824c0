// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace passerelle::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string code_of(int primary) {
    switch (primary) {
        case SQLITE_FULL:
            return "store.full";
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return "store.read-only";
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return "store.io";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "store.busy";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return "store.corrupt";
        default:
            return "store.sql";
    }
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& file) {
    auto database = open_with(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!database) {
        return database;
    }
    // WAL lets readers (audit queries, the explain command) run beside the writer; NORMAL sync in
    // WAL mode is durable across a process crash, the failure this store is mostly about.
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        auto applied = database->execute(pragma);
        if (!applied) {
            return applied.error();
        }
    }
    return database;
}

Result<Database> Database::open_read_only(const std::filesystem::path& file) {
    return open_with(file, SQLITE_OPEN_READONLY);
}

Result<Database> Database::open_with(const std::filesystem::path& file, int flags) {
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Database database(handle, file);  // closes the handle whatever happens
    if (rc != SQLITE_OK) {
        if (handle == nullptr) {
            return make_error("store.open",
                              fmt::format("store {}: cannot open: out of memory", file.string()));
        }
        Error error = database.error("cannot open");
        error.code = rc == SQLITE_CANTOPEN ? "store.open" : error.code;
        return error;
    }
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, kBusyTimeoutMs);
    return database;
}

Database::Database(Database&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), file_(std::move(other.file_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        file_ = std::move(other.file_);
    }
    return *this;
}

Database::~Database() {
    sqlite3_close_v2(handle_);
}

Status Database::execute(std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec wants a terminated string
    if (sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return error(fmt::format("cannot run '{}'", text.substr(0, 60)));
    }
    return Ok{};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* handle = nullptr;
    if (sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &handle, nullptr) != SQLITE_OK) {
        return error(fmt::format("cannot prepare '{}'", sql.substr(0, 60)));
    }
    return Statement(handle, *this);
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(handle_);
}

std::int64_t Database::changes() const {
    return sqlite3_changes64(handle_);
}

Error Database::error(std::string_view doing) const {
    const int extended = sqlite3_extended_errcode(handle_);
    return make_error(code_of(extended & 0xff), fmt::format("store {}: {}: {}", file_.string(),
                                                            doing, sqlite3_errmsg(handle_)));
}

Statement::Statement(Statement&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), database_(other.database_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        database_ = other.database_;
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(handle_);
}

// Binding errors are range errors of our own SQL (a wrong index): step() reports them.
Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(handle_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(handle_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    sqlite3_bind_text64(handle_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob64(handle_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(handle_, index);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(handle_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return database_->error(
        fmt::format("cannot run '{}'", std::string_view(sqlite3_sql(handle_)).substr(0, 60)));
}

Status Statement::run() {
    auto stepped = step();
    reset();
    if (!stepped) {
        return stepped.error();
    }
    return Ok{};
}

void Statement::reset() {
    sqlite3_reset(handle_);
    sqlite3_clear_bindings(handle_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(handle_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(handle_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(handle_, column);
}

std::string_view Statement::text(int column) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(handle_, column));
    const int size = sqlite3_column_bytes(handle_, column);
    return bytes == nullptr ? std::string_view()
                            : std::string_view(bytes, static_cast<std::size_t>(size));
}

Result<Transaction> Transaction::begin(Database& database) {
    auto begun = database.execute("BEGIN IMMEDIATE");
    if (!begun) {
        return begun.error();
    }
    return Transaction(database);
}

Transaction::Transaction(Transaction&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)) {}

Transaction::~Transaction() {
    if (database_ != nullptr) {
        (void)database_->execute("ROLLBACK");
    }
}

Status Transaction::commit() {
    PASSERELLE_ASSERT(database_ != nullptr, "Transaction::commit() twice");
    auto committed = database_->execute("COMMIT");
    if (!committed) {
        return committed;  // still open: the destructor rolls it back
    }
    database_ = nullptr;
    return Ok{};
}

}  // namespace passerelle::store
