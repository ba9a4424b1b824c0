// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/schema.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace passerelle::store {
namespace {

// Version N+1 is reached by running kMigrations[N]. Never edit a published step: add one.
constexpr std::array<std::string_view, 4> kMigrations = {
    // 1: the outbox, the audit log, dead letters and the reading history. Rule state is not a
    // table:
    // it is rebuilt at start by evaluating the history again (docs/reliability.md).
    R"sql(
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,            -- publish order
    recipient TEXT NOT NULL,
    rule TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    notice TEXT NOT NULL,              -- firing, resolved, flapping, firing-repeat-N
    providers TEXT NOT NULL,           -- JSON array of the parties whose data it carries
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    qos INTEGER NOT NULL,
    retained INTEGER NOT NULL,
    created_us INTEGER NOT NULL        -- wall clock, Unix microseconds
);
CREATE INDEX outbox_by_alert ON outbox (alert_id);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    sent_us INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    rule TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    notice TEXT NOT NULL,
    topic TEXT NOT NULL,
    providers TEXT NOT NULL,           -- JSON array of the parties whose data it carried
    agreement TEXT,
    payload_sha256 TEXT NOT NULL,
    previous_hash TEXT NOT NULL,       -- the chain that makes an edited or removed row visible
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (sent_us);
CREATE INDEX audit_by_alert ON audit (alert_id);
CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    received_us INTEGER NOT NULL,
    topic TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    payload BLOB NOT NULL
);
CREATE INDEX dead_letters_by_time ON dead_letters (received_us);
CREATE TABLE readings (
    id INTEGER PRIMARY KEY,            -- the order the rules evaluated them in
    time_us INTEGER NOT NULL,          -- the reading's own time
    topic TEXT NOT NULL,               -- where it came from: telemetry/…, signal/…
    provider TEXT NOT NULL,
    entity TEXT NOT NULL,
    quantity TEXT NOT NULL,
    number REAL,                       -- exactly one of number, boolean, text is set
    boolean INTEGER,
    text TEXT,
    unit TEXT NOT NULL
);
CREATE INDEX readings_by_time ON readings (time_us);
)sql",
    // 2: how far the rules have evaluated the ingest journal (messages received from the broker),
    // written in the transaction of the readings it produced.
    R"sql(
CREATE TABLE journal_position (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    evaluated_through INTEGER NOT NULL
);
INSERT INTO journal_position (id, evaluated_through) VALUES (1, 0);
)sql",
    // 3: the sharing agreements that allowed a waiting notification, copied into the audit log's
    // `agreement` column once it is delivered.
    R"sql(
ALTER TABLE outbox ADD COLUMN agreements TEXT NOT NULL DEFAULT '[]';  -- JSON array of ids
)sql",
    // 4: the routes' groups (docs/routing.md), each as the router's JSON, written with the
    // notices they caused.
    R"sql(
CREATE TABLE route_groups (
    key TEXT PRIMARY KEY,              -- route, rule and group
    state TEXT NOT NULL                -- JSON
);
)sql",
};

}  // namespace

int current_schema_version() {
    return static_cast<int>(kMigrations.size());
}

Result<int> schema_version(Database& database) {
    auto statement = database.prepare("PRAGMA user_version");
    if (!statement) {
        return statement.error();
    }
    auto row = statement->step();
    if (!row) {
        return row.error();
    }
    return static_cast<int>(statement->int64(0));
}

Status migrate(Database& database) {
    auto version = schema_version(database);
    if (!version) {
        return version.error();
    }
    if (*version > current_schema_version()) {
        return make_error(
            "store.newer-schema",
            fmt::format("store {} has schema version {}, written by a newer "
                        "Passerelle; this one knows versions up to {}",
                        database.file().string(), *version, current_schema_version()));
    }
    for (int next = *version; next < current_schema_version(); ++next) {
        auto transaction = Transaction::begin(database);
        if (!transaction) {
            return transaction.error();
        }
        auto applied = database.execute(kMigrations.at(static_cast<std::size_t>(next)));
        if (applied) {
            applied = database.execute(fmt::format("PRAGMA user_version = {}", next + 1));
        }
        if (applied) {
            applied = transaction->commit();
        }
        if (!applied) {
            return applied.error();
        }
    }
    return Ok{};
}

}  // namespace passerelle::store
