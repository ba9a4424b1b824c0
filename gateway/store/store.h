// SPDX-License-Identifier: Apache-2.0
// The gateway's store in its data directory: the lock that keeps it to one instance, the SQLite
// file at the current schema, and its parts.
#pragma once

#include <filesystem>
#include <memory>

#include "gateway/core/result.h"
#include "gateway/store/audit_log.h"
#include "gateway/store/database.h"
#include "gateway/store/dead_letter_store.h"
#include "gateway/store/ingest_journal.h"
#include "gateway/store/instance_lock.h"
#include "gateway/store/journal_position.h"
#include "gateway/store/outbox.h"
#include "gateway/store/reading_history.h"
#include "gateway/store/route_state.h"

namespace passerelle::store {

class Store {
public:
    /// The file's name in the data directory.
    static constexpr const char* kFileName = "passerelle.db";

    /// The ingest journal's folder in the data directory.
    static constexpr const char* kJournalDir = "journal";

    /// Locks `data_dir` (creating it if needed), opens or creates its store and migrates it, and
    /// opens the ingest journal.
    /// Errors: store.locked (another instance), store.newer-schema, store.corrupt, store.io…
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& data_dir);

    Database& database() { return *database_; }
    Outbox& outbox() { return outbox_; }
    AuditLog& audit() { return audit_; }
    ReadingHistory& history() { return history_; }
    DeadLetterStore& dead_letters() { return dead_letters_; }
    IngestJournal& journal() { return *journal_; }
    JournalPosition& journal_position() { return journal_position_; }
    RouteState& route_state() { return route_state_; }
    /// What the journal held that the rules had not evaluated when the previous run stopped;
    /// handed over once.
    IngestJournal::Recovery take_journal_recovery() { return std::move(recovery_); }

    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

private:
    struct Parts {
        Outbox outbox;
        AuditLog audit;
        ReadingHistory history;
        DeadLetterStore dead_letters;
        JournalPosition journal_position;
        RouteState route_state;
    };
    Store(InstanceLock lock, std::unique_ptr<Database> database, Parts parts,
          std::unique_ptr<IngestJournal> journal, IngestJournal::Recovery recovery);

    InstanceLock lock_;
    std::unique_ptr<Database> database_;  // on the heap: the parts point at it
    Outbox outbox_;
    AuditLog audit_;
    ReadingHistory history_;
    DeadLetterStore dead_letters_;
    JournalPosition journal_position_;
    RouteState route_state_;
    std::unique_ptr<IngestJournal> journal_;
    IngestJournal::Recovery recovery_;
};

/// Opens the store of `data_dir` to read it beside a running gateway (audit, replay): no lock, no
/// migration; a store of another schema version is refused.
Result<Database> open_store_for_reading(const std::filesystem::path& data_dir);

}  // namespace passerelle::store
