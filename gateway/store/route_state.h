// SPDX-License-Identifier: Apache-2.0
// The routes' groups as the router left them (alerts held, notices sent, timers): written in the
// transaction of the notices they caused, so that a restart neither loses a held alert nor
// sends a notice twice.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/store/database.h"

namespace passerelle::store {

class RouteState {
public:
    /// `database` must be migrated and outlive this.
    static Result<RouteState> open(Database& database);

    /// Inside the caller's transaction: the group's state (JSON), replacing the one before.
    Status put(std::string_view key, std::string_view state);
    /// Inside the caller's transaction: the group is gone.
    Status remove(std::string_view key);
    /// Every group kept, by key.
    Result<std::vector<std::pair<std::string, std::string>>> all();

private:
    RouteState(Statement put, Statement remove, Statement all)
        : put_(std::move(put)), remove_(std::move(remove)), all_(std::move(all)) {}

    Statement put_;
    Statement remove_;
    Statement all_;
};

}  // namespace passerelle::store
