// SPDX-License-Identifier: Apache-2.0
// The outbox: each notification is written here before it is handed to the broker and removed on
// its PUBACK, so that a crash or a broker away never loses one. Rows keep their publish order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "gateway/store/database.h"
#include "gateway/store/notification_record.h"

namespace passerelle::store {

struct OutboxEntry {
    std::int64_t id = 0;  // given by put()
    NotificationRecord what;
    std::string payload;
    int qos = 1;
    bool retained = false;
    Timestamp created;
};

class Outbox {
public:
    /// `database` must be migrated and outlive the outbox.
    static Result<Outbox> open(Database& database);

    /// Writes `entry` and returns its id (increasing: the publish order).
    Result<std::int64_t> put(const OutboxEntry& entry);
    /// Forgets an acknowledged entry; an unknown id is not an error (a repeated PUBACK).
    Status remove(std::int64_t id);
    /// Up to `limit` entries with ids above `after`, oldest first: what to send again after a
    /// restart or a reconnection, a page at a time.
    Result<std::vector<OutboxEntry>> pending(std::int64_t after, std::size_t limit);
    Result<std::int64_t> size();
    /// Whether this notice of `alert_id` to `recipient` is waiting here.
    Result<bool> holds(const std::string& alert_id, const std::string& notice,
                       const std::string& recipient);

private:
    Outbox(Statement insert, Statement erase, Statement page, Statement count, Statement find)
        : insert_(std::move(insert)),
          erase_(std::move(erase)),
          page_(std::move(page)),
          count_(std::move(count)),
          find_(std::move(find)) {}

    Database* database_ = nullptr;
    Statement insert_;
    Statement erase_;
    Statement page_;
    Statement count_;
    Statement find_;
};

}  // namespace passerelle::store
