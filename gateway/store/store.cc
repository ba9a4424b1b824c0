// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/store.h"

#include <system_error>

#include <fmt/format.h>

#include "gateway/store/schema.h"

namespace passerelle::store {

Store::Store(InstanceLock lock, std::unique_ptr<Database> database, Parts parts,
             std::unique_ptr<IngestJournal> journal, IngestJournal::Recovery recovery)
    : lock_(std::move(lock)),
      database_(std::move(database)),
      outbox_(std::move(parts.outbox)),
      audit_(std::move(parts.audit)),
      history_(std::move(parts.history)),
      dead_letters_(std::move(parts.dead_letters)),
      journal_position_(std::move(parts.journal_position)),
      route_state_(std::move(parts.route_state)),
      journal_(std::move(journal)),
      recovery_(std::move(recovery)) {}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& data_dir) {
    std::error_code error;
    std::filesystem::create_directories(data_dir, error);
    if (error) {
        return make_error("store.io", fmt::format("cannot create the data directory {}: {}",
                                                  data_dir.string(), error.message()));
    }
    auto lock = InstanceLock::acquire(data_dir);
    if (!lock) {
        return lock.error();
    }
    auto opened = Database::open(data_dir / kFileName);
    if (!opened) {
        return opened.error();
    }
    auto database = std::make_unique<Database>(std::move(*opened));
    if (auto migrated = migrate(*database); !migrated) {
        return migrated.error();
    }
    auto outbox = Outbox::open(*database);
    if (!outbox) {
        return outbox.error();
    }
    auto audit = AuditLog::open(*database);
    if (!audit) {
        return audit.error();
    }
    auto history = ReadingHistory::open(*database);
    if (!history) {
        return history.error();
    }
    auto dead_letters = DeadLetterStore::open(*database);
    if (!dead_letters) {
        return dead_letters.error();
    }
    auto position = JournalPosition::open(*database);
    if (!position) {
        return position.error();
    }
    auto route_state = RouteState::open(*database);
    if (!route_state) {
        return route_state.error();
    }
    auto evaluated = position->evaluated_through();
    if (!evaluated) {
        return evaluated.error();
    }
    IngestJournal::Recovery recovery;
    auto journal = IngestJournal::open(data_dir / kJournalDir, *evaluated, recovery);
    if (!journal) {
        return journal.error();
    }
    return std::unique_ptr<Store>(
        new Store(std::move(*lock), std::move(database),
                  Parts{std::move(*outbox), std::move(*audit), std::move(*history),
                        std::move(*dead_letters), std::move(*position), std::move(*route_state)},
                  std::move(*journal), std::move(recovery)));
}

Result<Database> open_store_for_reading(const std::filesystem::path& data_dir) {
    auto database = Database::open_read_only(data_dir / Store::kFileName);
    if (!database) {
        return database;
    }
    auto version = schema_version(*database);
    if (!version) {
        return version.error();
    }
    if (*version != current_schema_version()) {
        return make_error(
            "store.other-schema",
            fmt::format("store {} has schema version {}; this Passerelle reads "
                        "version {} (run the gateway once to migrate it)",
                        database->file().string(), *version, current_schema_version()));
    }
    return database;
}

}  // namespace passerelle::store
