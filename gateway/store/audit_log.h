// SPDX-License-Identifier: Apache-2.0
// The audit log: one row per notification sent, append-only, each row carrying the hash of the
// previous one, so that editing or removing a row breaks the chain that verify() walks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "gateway/store/database.h"
#include "gateway/store/notification_record.h"

namespace passerelle::store {

struct AuditRecord {
    std::int64_t seq = 0;  // given by append()
    Timestamp sent;        // when the broker acknowledged it
    NotificationRecord what;
    std::optional<std::string> agreement;  // the sharing agreement that allowed it
    std::string payload_sha256;            // set by append()
    std::string hash;                      // set by append()
};

/// Filters of query(); empty ones match everything.
struct AuditQuery {
    std::string recipient;
    std::string provider;
    std::string rule;
    std::optional<Timestamp> since;
};

/// What verify() found: the rows checked, and the first one that does not chain, with why.
struct AuditVerification {
    std::int64_t rows = 0;
    std::optional<std::int64_t> broken_at;
    std::string reason;
};

class AuditLog {
public:
    /// `database` must be migrated and outlive the log.
    static Result<AuditLog> open(Database& database);

    /// Appends `record`, its payload_sha256 set; returns it as stored, seq and hash set.
    Result<AuditRecord> append(AuditRecord record);
    /// Matching rows, oldest first.
    Result<std::vector<AuditRecord>> query(const AuditQuery& filter);
    /// Whether this notice of `alert_id` was sent to `recipient`.
    Result<bool> records(const std::string& alert_id, const std::string& notice,
                         const std::string& recipient);
    /// Walks the whole chain.
    Result<AuditVerification> verify();

private:
    AuditLog(Database& database, Statement insert, Statement find)
        : database_(&database), insert_(std::move(insert)), find_(std::move(find)) {}

    Database* database_;
    Statement insert_;
    Statement find_;
    std::string last_hash_;
    std::int64_t last_seq_ = 0;
};

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace passerelle::store
