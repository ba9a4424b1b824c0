// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/journal_position.h"

namespace passerelle::store {

Result<JournalPosition> JournalPosition::open(Database& database) {
    auto select = database.prepare("SELECT evaluated_through FROM journal_position WHERE id = 1");
    if (!select) {
        return select.error();
    }
    auto update =
        database.prepare("UPDATE journal_position SET evaluated_through = ?1 WHERE id = 1");
    if (!update) {
        return update.error();
    }
    return JournalPosition(std::move(*select), std::move(*update));
}

Result<std::uint64_t> JournalPosition::evaluated_through() {
    auto row = select_.step();
    if (!row) {
        select_.reset();
        return row.error();
    }
    const std::int64_t value = *row ? select_.int64(0) : 0;
    select_.reset();
    return static_cast<std::uint64_t>(value < 0 ? 0 : value);
}

Status JournalPosition::set_evaluated_through(std::uint64_t sequence) {
    update_.bind(1, static_cast<std::int64_t>(sequence));
    return update_.run();
}

}  // namespace passerelle::store
