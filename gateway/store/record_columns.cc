// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/record_columns.h"

#include <nlohmann/json.hpp>

namespace passerelle::store {

std::string providers_column(const std::vector<std::string>& providers) {
    return names_column(providers);
}

std::string names_column(const std::vector<std::string>& names) {
    return nlohmann::json(names).dump();
}

std::vector<std::string> names_from_column(std::string_view text) {
    std::vector<std::string> names;
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_array()) {
        for (const auto& name : parsed) {
            if (name.is_string()) {
                names.push_back(name.get<std::string>());
            }
        }
    }
    return names;
}

void bind_record(Statement& statement, int first, const NotificationRecord& record) {
    statement.bind(first, record.recipient)
        .bind(first + 1, record.rule)
        .bind(first + 2, record.alert_id)
        .bind(first + 3, record.notice)
        .bind(first + 4, providers_column(record.providers))
        .bind(first + 5, record.topic);
}

NotificationRecord read_record(const Statement& row, int first) {
    NotificationRecord record;
    record.recipient = row.text(first);
    record.rule = row.text(first + 1);
    record.alert_id = row.text(first + 2);
    record.notice = row.text(first + 3);
    // A hand edit that is not a list reads as no provider, and the audit chain reports it.
    record.providers = names_from_column(row.text(first + 4));
    record.topic = row.text(first + 5);
    return record;
}

}  // namespace passerelle::store
