// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/reading_history.h"

#include <algorithm>
#include <type_traits>

#include "gateway/store/time_columns.h"

namespace passerelle::store {
namespace {

void bind_value(Statement& insert, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, double>) {
                insert.bind(6, v);
            } else if constexpr (std::is_same_v<V, bool>) {
                insert.bind(7, static_cast<std::int64_t>(v ? 1 : 0));
            } else {
                insert.bind(8, std::string_view(v));
            }
        },
        value);
}

Value read_value(const Statement& row) {
    if (!row.is_null(5)) {
        return row.real(5);
    }
    if (!row.is_null(6)) {
        return row.int64(6) != 0;
    }
    return std::string(row.text(7));
}

Result<std::int64_t> run_counting(Database& database, Statement& statement) {
    auto ran = statement.run();
    if (!ran) {
        return ran.error();
    }
    return database.changes();
}

}  // namespace

Result<ReadingHistory> ReadingHistory::open(Database& database) {
    auto insert = database.prepare(
        "INSERT INTO readings (time_us, topic, provider, entity, quantity, number, boolean, text, "
        "unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert) {
        return insert.error();
    }
    return ReadingHistory(database, std::move(*insert));
}

Status ReadingHistory::flush() {
    if (buffer_.empty()) {
        return Ok{};
    }
    auto transaction = Transaction::begin(*database_);
    if (!transaction) {
        return transaction.error();
    }
    auto written = write_buffered();
    if (written) {
        written = transaction->commit();
    }
    if (written) {
        buffer_.clear();
    }
    return written;  // on an error the transaction rolls back and the buffer is kept
}

Status ReadingHistory::write_buffered() {
    for (const auto& [topic, reading] : buffer_) {
        insert_.bind(1, to_column(reading.time))
            .bind(2, topic)
            .bind(3, reading.provider)
            .bind(4, reading.entity)
            .bind(5, reading.quantity)
            .bind(9, reading.unit);
        bind_value(insert_, reading.value);
        auto inserted = insert_.run();
        if (!inserted) {
            return inserted;
        }
    }
    return Ok{};
}

std::size_t ReadingHistory::shed(std::size_t limit) {
    if (buffer_.size() <= limit) {
        return 0;
    }
    const std::size_t excess = buffer_.size() - limit;
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(excess));
    return excess;
}

Result<std::int64_t> ReadingHistory::prune(Timestamp cutoff) {
    auto erase = database_->prepare("DELETE FROM readings WHERE time_us < ?1");
    if (!erase) {
        return erase.error();
    }
    erase->bind(1, to_column(cutoff));
    return run_counting(*database_, *erase);
}

Result<std::int64_t> ReadingHistory::downsample(Timestamp cutoff, Duration bucket) {
    auto thin = database_->prepare(
        "DELETE FROM readings WHERE time_us < ?1 AND id NOT IN ("
        "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY provider, entity, quantity, "
        "time_us / ?2 ORDER BY time_us DESC, id DESC) AS rank FROM readings WHERE time_us < ?1) "
        "WHERE rank = 1)");
    if (!thin) {
        return thin.error();
    }
    thin->bind(1, to_column(cutoff)).bind(2, std::max<std::int64_t>(1, bucket.count()));
    return run_counting(*database_, *thin);
}

Status ReadingHistory::read(Timestamp since, const std::function<void(const Entry&)>& visit) {
    auto select = database_->prepare(
        "SELECT time_us, topic, provider, entity, quantity, number, boolean, text, unit "
        "FROM readings WHERE time_us >= ?1 ORDER BY id");
    if (!select) {
        return select.error();
    }
    select->bind(1, to_column(since));
    for (;;) {
        auto row = select->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return Ok{};
        }
        visit(Entry{std::string(select->text(1)),
                    Reading{std::string(select->text(2)), std::string(select->text(3)),
                            std::string(select->text(4)), read_value(*select),
                            std::string(select->text(8)), from_column(select->int64(0))}});
    }
}

Result<std::int64_t> ReadingHistory::size() {
    auto count = database_->prepare("SELECT count(*) FROM readings");
    if (!count) {
        return count.error();
    }
    auto row = count->step();
    if (!row) {
        return row.error();
    }
    return count->int64(0);
}

}  // namespace passerelle::store
