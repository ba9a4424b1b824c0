// SPDX-License-Identifier: Apache-2.0
// The broker's side of data sovereignty: from passerelle.yaml, the Mosquitto ACL in which each
// stakeholder publishes only under its own name and reads only its own notifications, and the
// gateway reads field data and writes notifications. `passerelle acl` writes it.
#pragma once

#include <string>
#include <vector>

#include "gateway/config/settings.h"

namespace passerelle::broker_access {

/// One account's rights, in the order the ACL file lists them.
struct AccountRights {
    std::string user;
    std::string why;  // a comment line: who this is
    std::vector<std::string> read;
    std::vector<std::string> write;
};

/// The gateway's account, then each stakeholder's, then each of `broker_users`.
std::vector<AccountRights> account_rights(const config::Settings& settings);

/// What an operator should know before deploying these rights: an account that can speak for
/// every provider, or read notifications meant for others.
std::vector<std::string> rights_warnings(const config::Settings& settings);

/// The ACL file's text (mosquitto.conf `acl_file`), with a header saying where it came from.
std::string render_acl(const std::vector<AccountRights>& accounts, const std::string& source);

}  // namespace passerelle::broker_access
