// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/outbox.h"

#include "gateway/store/record_columns.h"
#include "gateway/store/time_columns.h"

namespace passerelle::store {

Result<Outbox> Outbox::open(Database& database) {
    auto insert = database.prepare(
        "INSERT INTO outbox (recipient, rule, alert_id, notice, providers, topic, payload, qos, "
        "retained, created_us, agreements) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    auto erase = database.prepare("DELETE FROM outbox WHERE id = ?1");
    auto page = database.prepare(
        "SELECT recipient, rule, alert_id, notice, providers, topic, payload, qos, retained, "
        "created_us, id, agreements FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2");
    auto count = database.prepare("SELECT count(*) FROM outbox");
    auto find = database.prepare(
        "SELECT 1 FROM outbox WHERE alert_id = ?1 AND notice = ?2 AND recipient = ?3");
    for (const auto* prepared : {&insert, &erase, &page, &count, &find}) {
        if (!*prepared) {
            return prepared->error();
        }
    }
    Outbox outbox(std::move(*insert), std::move(*erase), std::move(*page), std::move(*count),
                  std::move(*find));
    outbox.database_ = &database;
    return outbox;
}

Result<std::int64_t> Outbox::put(const OutboxEntry& entry) {
    bind_record(insert_, 1, entry.what);
    insert_.bind_blob(7, entry.payload)
        .bind(8, static_cast<std::int64_t>(entry.qos))
        .bind(9, static_cast<std::int64_t>(entry.retained ? 1 : 0))
        .bind(10, to_column(entry.created))
        .bind(11, names_column(entry.what.agreements));
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
        NotificationRecord what = read_record(page_, 0);
        what.agreements = names_from_column(page_.text(11));
        entries.push_back(OutboxEntry{page_.int64(10), std::move(what), std::string(page_.text(6)),
                                      static_cast<int>(page_.int64(7)), page_.int64(8) != 0,
                                      from_column(page_.int64(9))});
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

Result<bool> Outbox::holds(const std::string& alert_id, const std::string& notice,
                           const std::string& recipient) {
    find_.bind(1, alert_id).bind(2, notice).bind(3, recipient);
    auto row = find_.step();
    find_.reset();
    return row;
}

}  // namespace passerelle::store
