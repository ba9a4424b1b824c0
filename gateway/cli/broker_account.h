// SPDX-License-Identifier: Apache-2.0
// The broker account a command acts as (`--as`): one of broker_users, or a stakeholder with a
// password_file.
#pragma once

#include <string>
#include <utility>

#include "gateway/config/settings.h"
#include "gateway/core/result.h"

namespace passerelle::cli {

/// The user name and password of the account `name`. Error cli.no-account when it is neither
/// one of broker_users nor a stakeholder with a password_file; the secret file's own errors.
Result<std::pair<std::string, std::string>> account_credentials(const config::Settings& settings,
                                                                const std::string& name);

}  // namespace passerelle::cli
