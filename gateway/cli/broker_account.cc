// SPDX-License-Identifier: Apache-2.0
#include "gateway/cli/broker_account.h"

#include <fmt/format.h>

#include "gateway/config/broker_access_loader.h"

namespace passerelle::cli {

Result<std::pair<std::string, std::string>> account_credentials(const config::Settings& settings,
                                                                const std::string& name) {
    std::string file;
    for (const auto& user : settings.broker_users) {
        if (user.name == name) {
            file = user.password_file;
        }
    }
    if (const auto party = settings.stakeholder_password_files.find(name);
        file.empty() && party != settings.stakeholder_password_files.end()) {
        file = party->second;
    }
    if (file.empty()) {
        return make_error("cli.no-account",
                          fmt::format("--as '{}' is neither one of broker_users nor a stakeholder "
                                      "with a password_file",
                                      name));
    }
    auto secret = config::read_secret(file);
    if (!secret) {
        return secret.error();
    }
    return std::pair{name, std::move(*secret)};
}

}  // namespace passerelle::cli
