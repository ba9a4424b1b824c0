// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/audit_log.h"

#include <array>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "gateway/store/record_columns.h"
#include "gateway/store/time_columns.h"

namespace passerelle::store {
namespace {

// The first row chains to this: 64 zeros, a hash nothing produces.
const std::string kGenesis(64, '0');

// The record's six columns at 2..7, as record_columns.h reads and binds them.
constexpr std::string_view kColumns =
    "seq, sent_us, recipient, rule, alert_id, notice, providers, topic, agreement, "
    "payload_sha256, previous_hash, hash";

// The row's hash covers every column but itself, in a fixed serialization.
std::string chain_hash(const AuditRecord& record, const std::string& previous) {
    const NotificationRecord& what = record.what;
    const nlohmann::json fields = {
        record.seq,
        to_column(record.sent),
        what.recipient,
        what.rule,
        what.alert_id,
        what.notice,
        what.providers,
        what.topic,
        record.agreement ? nlohmann::json(*record.agreement) : nlohmann::json(nullptr),
        record.payload_sha256,
        previous};
    return sha256_hex(fields.dump());
}

AuditRecord read_row(const Statement& row, std::string& previous) {
    AuditRecord record;
    record.seq = row.int64(0);
    record.sent = from_column(row.int64(1));
    record.what = read_record(row, 2);
    if (!row.is_null(8)) {
        record.agreement = std::string(row.text(8));
    }
    record.payload_sha256 = row.text(9);
    previous = row.text(10);
    record.hash = row.text(11);
    return record;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

Result<AuditLog> AuditLog::open(Database& database) {
    auto insert =
        database.prepare(fmt::format("INSERT INTO audit ({}) VALUES "
                                     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                     kColumns));
    auto last = database.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    auto find = database.prepare(
        "SELECT 1 FROM audit WHERE alert_id = ?1 AND notice = ?2 AND recipient = ?3");
    for (const auto* prepared : {&insert, &last, &find}) {
        if (!*prepared) {
            return prepared->error();
        }
    }
    AuditLog log(database, std::move(*insert), std::move(*find));
    auto row = last->step();
    if (!row) {
        return row.error();
    }
    log.last_seq_ = *row ? last->int64(0) : 0;
    log.last_hash_ = *row ? std::string(last->text(1)) : kGenesis;
    return log;
}

Result<AuditRecord> AuditLog::append(AuditRecord record) {
    PASSERELLE_ASSERT(record.payload_sha256.size() == 64, "audit record without its payload hash");
    record.seq = last_seq_ + 1;
    record.hash = chain_hash(record, last_hash_);
    bind_record(insert_, 3, record.what);
    insert_.bind(1, record.seq)
        .bind(2, to_column(record.sent))
        .bind(10, record.payload_sha256)
        .bind(11, last_hash_)
        .bind(12, record.hash);
    if (record.agreement) {
        insert_.bind(9, *record.agreement);
    }
    auto inserted = insert_.run();
    if (!inserted) {
        return inserted.error();
    }
    last_seq_ = record.seq;
    last_hash_ = record.hash;
    return record;
}

Result<std::vector<AuditRecord>> AuditLog::query(const AuditQuery& filter) {
    auto select = database_->prepare(fmt::format(
        "SELECT {} FROM audit WHERE (?1 = '' OR recipient = ?1) AND (?2 = '' OR rule = ?2) "
        "AND sent_us >= ?3 AND (?4 = '' OR EXISTS (SELECT 1 FROM json_each(audit.providers) "
        "WHERE value = ?4)) ORDER BY seq",
        kColumns));
    if (!select) {
        return select.error();
    }
    select->bind(1, filter.recipient)
        .bind(2, filter.rule)
        .bind(3, filter.since ? to_column(*filter.since) : std::numeric_limits<std::int64_t>::min())
        .bind(4, filter.provider);
    std::vector<AuditRecord> records;
    std::string previous;
    for (;;) {
        auto row = select->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return records;
        }
        records.push_back(read_row(*select, previous));
    }
}

Result<bool> AuditLog::records(const std::string& alert_id, const std::string& notice,
                               const std::string& recipient) {
    find_.bind(1, alert_id).bind(2, notice).bind(3, recipient);
    auto row = find_.step();
    find_.reset();
    return row;
}

Result<AuditVerification> AuditLog::verify() {
    auto select = database_->prepare(fmt::format("SELECT {} FROM audit ORDER BY seq", kColumns));
    if (!select) {
        return select.error();
    }
    AuditVerification verification;
    std::string expected_previous = kGenesis;
    for (std::int64_t expected_seq = 1;; ++expected_seq) {
        auto row = select->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return verification;
        }
        std::string previous;
        const AuditRecord record = read_row(*select, previous);
        ++verification.rows;
        std::string reason;
        if (record.seq != expected_seq) {
            reason = fmt::format("row {} is missing", expected_seq);
        } else if (previous != expected_previous) {
            reason = fmt::format("row {} does not chain to the row before it", record.seq);
        } else if (chain_hash(record, previous) != record.hash) {
            reason = fmt::format("row {} was changed after it was written", record.seq);
        }
        if (!reason.empty()) {
            verification.broken_at = record.seq;
            verification.reason = std::move(reason);
            return verification;
        }
        expected_previous = record.hash;
    }
}

}  // namespace passerelle::store
