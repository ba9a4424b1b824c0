// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/broker_access_loader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "gateway/core/topic.h"

namespace passerelle::config {
namespace {

namespace fs = std::filesystem;
using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kTlsKeys{"ca_file", "cert_file", "key_file"};
const std::vector<std::string> kBrokerUserKeys{"name", "password_file", "publish", "subscribe"};

std::string relative_to(const std::string& config_file, const std::string& path) {
    const fs::path p(path);
    return (p.is_absolute() ? p : fs::path(config_file).parent_path() / p)
        .lexically_normal()
        .string();
}

/// `key`: a list of valid MQTT topic filters.
std::vector<std::string> read_filters(MappingReader& reader, const std::string& key) {
    std::vector<std::string> filters;
    const YAML::Node node = reader.get(key);
    if (!node) {
        return filters;
    }
    if (!node.IsSequence()) {
        reader.diagnostics().error(
            "config.bad-topics",
            fmt::format(
                "'{}' is a list of MQTT topic filters, e.g. [application/+/device/+/event/up]",
                key),
            span_of(node, reader.file()));
        return filters;
    }
    for (const auto& item : node) {
        const auto span = span_of(item, reader.file());
        if (!item.IsScalar()) {
            reader.diagnostics().error("config.bad-topics", "a topic filter is a single text",
                                       span);
        } else if (auto valid = validate_topic_filter(item.Scalar()); !valid) {
            reader.diagnostics().error("config.bad-topics", valid.error().message, span);
        } else {
            filters.push_back(item.Scalar());
        }
    }
    return filters;
}

}  // namespace

std::optional<std::string> read_password_file(MappingReader& reader, const std::string& key) {
    auto path = reader.optional_string(key);
    if (!path) {
        return std::nullopt;
    }
    return relative_to(reader.file(), *path);
}

Result<std::string> read_secret(const std::string& file) {
    std::ifstream in(file);
    if (!in) {
        return make_error("config.missing-secret", fmt::format("cannot read the secret file {}: {}",
                                                               file, std::strerror(errno)));
    }
    std::string secret;
    std::getline(in, secret);
    if (!secret.empty() && secret.back() == '\r') {
        secret.pop_back();
    }
    if (secret.empty()) {
        return make_error("config.missing-secret",
                          fmt::format("the secret file {} is empty", file));
    }
    return secret;
}

BrokerTls read_broker_tls(const YAML::Node& node, const std::string& file,
                          Diagnostics& diagnostics) {
    MappingReader reader(node, file, "broker tls section", kTlsKeys, diagnostics);
    BrokerTls tls;
    for (auto [key, target] :
         {std::pair{"ca_file", &tls.ca_file}, std::pair{"cert_file", &tls.cert_file},
          std::pair{"key_file", &tls.key_file}}) {
        auto path = reader.optional_string(key);
        if (!path) {
            continue;
        }
        *target = relative_to(file, *path);
        std::error_code error;
        if (!fs::is_regular_file(*target, error)) {
            diagnostics.error("config.missing-file",
                              fmt::format("tls {} '{}' is not a file", key, *target),
                              span_of(reader.get(key), file));
        }
    }
    if (!tls.key_file.empty() && tls.cert_file.empty()) {
        diagnostics.error("config.bad-tls",
                          "tls 'key_file' is the private key of 'cert_file': give both",
                          span_of(reader.get("key_file"), file));
    }
    return tls;
}

std::string gateway_broker_user(const Settings& settings) {
    return settings.broker.username.empty() ? "passerelle" : settings.broker.username;
}

std::vector<BrokerUser> read_broker_users(const YAML::Node& node, const std::string& file,
                                          const Settings& settings, Diagnostics& diagnostics) {
    std::vector<BrokerUser> users;
    if (!node.IsSequence()) {
        diagnostics.error("config.bad-broker-users",
                          "'broker_users' is a list of {name, password_file, publish, subscribe}",
                          span_of(node, file));
        return users;
    }
    for (const auto& item : node) {
        MappingReader reader(item, file, "broker user", kBrokerUserKeys, diagnostics);
        const auto name = reader.required_string("name");
        const auto password_file = reader.required_string("password_file");
        if (!name || !password_file) {
            continue;
        }
        const auto span = span_of(reader.get("name"), file);
        if (!is_identifier(*name)) {
            diagnostics.error("config.bad-id",
                              fmt::format("broker user '{}' may only hold letters, digits, '-', "
                                          "'_' and '.'",
                                          *name),
                              span);
            continue;
        }
        const bool taken = settings.territory.find_stakeholder(*name) != nullptr ||
                           *name == gateway_broker_user(settings) ||
                           std::any_of(users.begin(), users.end(),
                                       [&](const BrokerUser& u) { return u.name == *name; });
        if (taken) {
            diagnostics.error(
                "config.duplicate-broker-user",
                fmt::format("broker user '{}' is already a stakeholder, the gateway or another "
                            "broker user: each account has its own name",
                            *name),
                span);
            continue;
        }
        users.push_back(BrokerUser{*name, relative_to(file, *password_file),
                                   read_filters(reader, "publish"),
                                   read_filters(reader, "subscribe"), span});
    }
    return users;
}

}  // namespace passerelle::config
