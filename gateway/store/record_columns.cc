// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/record_columns.h"

#include <nlohmann/json.hpp>

namespace passerelle::store {

std::string providers_column(const std::vector<std::string>& providers) {
    return nlohmann::json(providers).dump();
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
    // Written by providers_column(); anything else (a hand edit) reads as no provider, and the
    // audit chain reports the edit.
    const auto providers = nlohmann::json::parse(row.text(first + 4), nullptr, false);
    if (providers.is_array()) {
        for (const auto& provider : providers) {
            if (provider.is_string()) {
                record.providers.push_back(provider.get<std::string>());
            }
        }
    }
    record.topic = row.text(first + 5);
    return record;
}

}  // namespace passerelle::store
