// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/outbox.h"

#include "gateway/store/time_columns.h"

namespace passerelle::store {

Result<Outbox> Outbox::open(Database& database) {
    auto insert = database.prepare(
        "INSERT INTO outbox (alert_id, topic, payload, qos, retained, created_us) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    auto erase = database.prepare("DELETE FROM outbox WHERE id = ?1");
    auto page = database.prepare(
        "SELECT id, alert_id, topic, payload, qos, retained, created_us FROM outbox "
        "WHERE id > ?1 ORDER BY id LIMIT ?2");
    auto count = database.prepare("SELECT count(*) FROM outbox");
    for (const auto* prepared : {&insert, &erase, &page, &count}) {
        if (!*prepared) {
            return prepared->error();
        }
    }
    Outbox outbox(std::move(*insert), std::move(*erase), std::move(*page), std::move(*count));
    outbox.database_ = &database;
    return outbox;
}

Result<std::int64_t> Outbox::put(const OutboxEntry& entry) {
    insert_.bind(1, entry.alert_id)
        .bind(2, entry.topic)
        .bind_blob(3, entry.payload)
        .bind(4, static_cast<std::int64_t>(entry.qos))
        .bind(5, static_cast<std::int64_t>(entry.retained ? 1 : 0))
        .bind(6, to_column(entry.created));
    auto inserted = insert_.run();
    if (!inserted) {
        return inserted.error();
    }
    return database_->last_insert_rowid();
}

Status Outbox::remove(std::int64_t id) {
    erase_.bind(1, id);
    return erase_.run();
}

Result<std::vector<OutboxEntry>> Outbox::pending(std::int64_t after, std::size_t limit) {
    page_.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxEntry> entries;
    for (;;) {
        auto row = page_.step();
        if (!row) {
            page_.reset();
            return row.error();
        }
        if (!*row) {
            break;
        }
        entries.push_back(OutboxEntry{page_.int64(0), std::string(page_.text(1)),
                                      std::string(page_.text(2)), std::string(page_.text(3)),
                                      static_cast<int>(page_.int64(4)), page_.int64(5) != 0,
                                      from_column(page_.int64(6))});
    }
    page_.reset();
    return entries;
}

Result<std::int64_t> Outbox::size() {
    auto row = count_.step();
    const std::int64_t rows = row && *row ? count_.int64(0) : 0;
    count_.reset();
    if (!row) {
        return row.error();
    }
    return rows;
}

}  // namespace passerelle::store
