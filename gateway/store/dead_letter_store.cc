// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/dead_letter_store.h"

#include "gateway/store/time_columns.h"

namespace passerelle::store {

Result<DeadLetterStore> DeadLetterStore::open(Database& database) {
    auto insert = database.prepare(
        "INSERT INTO dead_letters (received_us, topic, code, reason, payload) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) {
        return insert.error();
    }
    return DeadLetterStore(database, std::move(*insert));
}

Status DeadLetterStore::add(const StoredDeadLetter& letter) {
    insert_.bind(1, to_column(letter.received))
        .bind(2, letter.topic)
        .bind(3, letter.code)
        .bind(4, letter.reason)
        .bind_blob(5, letter.payload);
    return insert_.run();
}

Result<std::vector<StoredDeadLetter>> DeadLetterStore::latest(std::size_t limit) {
    auto select = database_->prepare(
        "SELECT received_us, topic, code, reason, payload FROM dead_letters "
        "ORDER BY id DESC LIMIT ?1");
    if (!select) {
        return select.error();
    }
    select->bind(1, static_cast<std::int64_t>(limit));
    std::vector<StoredDeadLetter> letters;
    for (;;) {
        auto row = select->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return letters;
        }
        letters.push_back(
            StoredDeadLetter{from_column(select->int64(0)), std::string(select->text(1)),
                             std::string(select->text(2)), std::string(select->text(3)),
                             std::string(select->text(4))});
    }
}

Result<std::int64_t> DeadLetterStore::prune(Timestamp cutoff) {
    auto erase = database_->prepare("DELETE FROM dead_letters WHERE received_us < ?1");
    if (!erase) {
        return erase.error();
    }
    erase->bind(1, to_column(cutoff));
    auto ran = erase->run();
    if (!ran) {
        return ran.error();
    }
    return database_->changes();
}

}  // namespace passerelle::store
