// SPDX-License-Identifier: Apache-2.0
// How far the rules have evaluated the ingest journal: written in the same transaction as the
// readings those messages produced, so that a restart evaluates again exactly what was lost.
#pragma once

#include <cstdint>

#include "gateway/core/result.h"
#include "gateway/store/database.h"

namespace passerelle::store {

class JournalPosition {
public:
    /// `database` must be migrated and outlive this.
    static Result<JournalPosition> open(Database& database);

    Result<std::uint64_t> evaluated_through();
    /// Inside the caller's transaction.
    Status set_evaluated_through(std::uint64_t sequence);

private:
    JournalPosition(Statement select, Statement update)
        : select_(std::move(select)), update_(std::move(update)) {}

    Statement select_;
    Statement update_;
};

}  // namespace passerelle::store
