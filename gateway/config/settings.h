// SPDX-License-Identifier: Apache-2.0
// The gateway's settings as read from passerelle.yaml, after validation.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gateway/core/territory.h"

namespace passerelle::config {

struct BrokerSettings {
    std::string url = "tcp://127.0.0.1:1883";
    std::string client_id;  // "passerelle-<instance>" when not given
    std::string username;
    std::string password;  // from the environment variable named by `password_env`; never logged
    std::chrono::seconds connect_timeout{30};
};

struct Settings {
    std::string config_path;  // the file these settings came from
    std::string instance = "passerelle";
    BrokerSettings broker;
    std::string data_dir = "/var/lib/passerelle";
    Territory territory;
    std::vector<std::string> rule_files;  // resolved from globs, sorted
    std::size_t max_payload_bytes = 64 * 1024;
};

}  // namespace passerelle::config
