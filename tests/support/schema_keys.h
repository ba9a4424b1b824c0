// SPDX-License-Identifier: Apache-2.0
// Test support: a JSON payload has every field its schema in schemas/ requires, and no field the
// schema does not describe.
#pragma once

#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace passerelle::testing {

/// `schema`: a file name in schemas/, such as "notification.schema.json".
inline void check_schema_keys(const std::string& schema, const std::string& payload) {
    static std::map<std::string, nlohmann::json> loaded;
    auto [it, added] = loaded.try_emplace(schema);
    if (added) {
        std::ifstream file(PASSERELLE_SOURCE_DIR "/schemas/" + schema);
        it->second = nlohmann::json::parse(file);
    }
    const auto body = nlohmann::json::parse(payload);
    for (const auto& key : it->second["required"]) {
        CHECK(body.contains(key.get<std::string>()));
    }
    for (const auto& [key, value] : body.items()) {
        INFO(key);
        CHECK(it->second["properties"].contains(key));
    }
}

}  // namespace passerelle::testing
