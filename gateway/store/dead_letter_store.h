// SPDX-License-Identifier: Apache-2.0
// Dead letters kept in the store: what could not be used, with why, for operators to look at after
// the broker's copy (on passerelle/<instance>/dead-letters) is long gone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "gateway/store/database.h"

namespace passerelle::store {

struct StoredDeadLetter {
    Timestamp received;
    std::string topic;
    std::string code;    // the error's code, e.g. senml.bad-value
    std::string reason;  // the error's sentence
    std::string payload;
};

class DeadLetterStore {
public:
    /// `database` must be migrated and outlive the store.
    static Result<DeadLetterStore> open(Database& database);

    Status add(const StoredDeadLetter& letter);
    /// The latest `limit`, newest first.
    Result<std::vector<StoredDeadLetter>> latest(std::size_t limit);
    /// Removes letters received before `cutoff`; returns how many.
    Result<std::int64_t> prune(Timestamp cutoff);

private:
    DeadLetterStore(Database& database, Statement insert)
        : database_(&database), insert_(std::move(insert)) {}

    Database* database_;
    Statement insert_;
};

}  // namespace passerelle::store
