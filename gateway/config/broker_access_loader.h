// SPDX-License-Identifier: Apache-2.0
// Who may use the broker, as passerelle.yaml says: the gateway's TLS files and password file, and
// the accounts of `broker_users:` (network servers, radio receivers) that `passerelle acl` writes
// besides the gateway's and the stakeholders'.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gateway/config/settings.h"
#include "gateway/core/diagnostic.h"
#include "gateway/core/result.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {

/// The file named by `key`, relative to the configuration file's folder; nothing when absent.
std::optional<std::string> read_password_file(rules::MappingReader& reader, const std::string& key);

/// A secret file's first line, without its line end. Errors name the file, never its content.
Result<std::string> read_secret(const std::string& file);

/// `tls: {ca_file, cert_file, key_file}`: files relative to the configuration, which must exist.
BrokerTls read_broker_tls(const YAML::Node& node, const std::string& file,
                          Diagnostics& diagnostics);

/// `broker_users: [{name, password_file, publish: [filters], subscribe: [filters]}]`. A name may
/// not be a stakeholder's or the gateway's.
std::vector<BrokerUser> read_broker_users(const YAML::Node& node, const std::string& file,
                                          const Settings& settings, Diagnostics& diagnostics);

/// The gateway's broker user: `broker.username`, `passerelle` when not given.
std::string gateway_broker_user(const Settings& settings);

}  // namespace passerelle::config
