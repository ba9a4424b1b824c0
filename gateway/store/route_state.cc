// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/route_state.h"

namespace passerelle::store {

Result<RouteState> RouteState::open(Database& database) {
    auto put = database.prepare(
        "INSERT INTO route_groups (key, state) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET state = excluded.state");
    if (!put) {
        return put.error();
    }
    auto remove = database.prepare("DELETE FROM route_groups WHERE key = ?1");
    if (!remove) {
        return remove.error();
    }
    auto all = database.prepare("SELECT key, state FROM route_groups ORDER BY key");
    if (!all) {
        return all.error();
    }
    return RouteState(std::move(*put), std::move(*remove), std::move(*all));
}

Status RouteState::put(std::string_view key, std::string_view state) {
    put_.bind(1, key).bind(2, state);
    return put_.run();
}

Status RouteState::remove(std::string_view key) {
    remove_.bind(1, key);
    return remove_.run();
}

Result<std::vector<std::pair<std::string, std::string>>> RouteState::all() {
    std::vector<std::pair<std::string, std::string>> groups;
    while (true) {
        auto row = all_.step();
        if (!row) {
            all_.reset();
            return row.error();
        }
        if (!*row) {
            break;
        }
        groups.emplace_back(std::string(all_.text(0)), std::string(all_.text(1)));
    }
    all_.reset();
    return groups;
}

}  // namespace passerelle::store
