// SPDX-License-Identifier: Apache-2.0
// The store's schema and its migrations: PRAGMA user_version says which version a file has; each
// migration takes it one version further inside one transaction.
#pragma once

#include "gateway/core/result.h"
#include "gateway/store/database.h"

namespace passerelle::store {

/// The schema version this build writes.
int current_schema_version();

/// Brings `database` to current_schema_version(). A file written by a newer Passerelle is refused
/// (store.newer-schema): an older binary must not write into a layout it does not know.
Status migrate(Database& database);

/// The file's version, 0 for a new file.
Result<int> schema_version(Database& database);

}  // namespace passerelle::store
