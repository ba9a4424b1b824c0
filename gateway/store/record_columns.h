// SPDX-License-Identifier: Apache-2.0
// A NotificationRecord in six consecutive columns (recipient, rule, alert_id, notice, providers,
// topic), shared by the outbox and the audit log so that one is copied into the other unchanged.
#pragma once

#include "gateway/store/database.h"
#include "gateway/store/notification_record.h"

namespace passerelle::store {

/// Binds the record to parameters `first` … `first + 5`.
void bind_record(Statement& statement, int first, const NotificationRecord& record);
/// Reads the record from columns `first` … `first + 5` of the current row.
NotificationRecord read_record(const Statement& row, int first);
/// The providers column: a JSON array of names.
std::string providers_column(const std::vector<std::string>& providers);
/// A column holding a JSON array of names (providers, agreements), and back; anything else (a
/// hand edit) reads as no name.
std::string names_column(const std::vector<std::string>& names);
std::vector<std::string> names_from_column(std::string_view text);

}  // namespace passerelle::store
