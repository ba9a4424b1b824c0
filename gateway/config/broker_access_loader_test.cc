// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/broker_access_loader.h"

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"
#include "gateway/config/settings_loader.h"

namespace passerelle::config {
namespace {

using testing::errors;
using testing::TempDir;

std::optional<Settings> load_broker_access(const TempDir& dir, const std::string& text,
                                           Diagnostics& diagnostics) {
    dir.write("rules/none.yaml", "version: 1\nrules: []\n");
    return load_settings(dir.write("passerelle.yaml", text + "rules: [rules/*.yaml]\n"),
                         diagnostics);
}

TEST_CASE("broker accounts: passwords from files, TLS files, stakeholders' contact", "[settings]") {
    TempDir dir;
    const auto secret = dir.write("secrets/gateway", "s3cret\r\n");
    const auto ca = dir.write("tls/ca.pem", "-----BEGIN CERTIFICATE-----\n");
    dir.write("tls/gateway.pem", "x");
    dir.write("tls/gateway.key", "x");
    Diagnostics diagnostics;
    const auto settings =
        load_broker_access(dir,
                           "broker:\n"
                           "  url: ssl://127.0.0.1:8883\n"
                           "  username: gw\n"
                           "  password_file: secrets/gateway\n"
                           "  tls: {ca_file: tls/ca.pem, cert_file: tls/gateway.pem,\n"
                           "        key_file: tls/gateway.key}\n"
                           "stakeholders:\n"
                           "  - {id: hs, contact: astreinte@hs.example, password_file: s/hs}\n"
                           "  - {id: ccas}\n"
                           "broker_users:\n"
                           "  - {name: chirpstack, password_file: s/cs,\n"
                           "     publish: [application/+/device/+/event/up]}\n",
                           diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    CHECK(settings->broker.password == "s3cret");
    CHECK(settings->broker.password_file == secret);
    CHECK(settings->broker.tls.ca_file == ca);
    CHECK(settings->broker.tls.key_file.ends_with("tls/gateway.key"));
    CHECK(settings->territory.find_stakeholder("hs")->contact == "astreinte@hs.example");
    CHECK(settings->stakeholder_password_files.at("hs").ends_with("/s/hs"));
    CHECK(settings->stakeholder_password_files.count("ccas") == 0);
    REQUIRE(settings->broker_users.size() == 1);
    CHECK(settings->broker_users[0].publish ==
          std::vector<std::string>{"application/+/device/+/event/up"});
    CHECK(gateway_broker_user(*settings) == "gw");
}

TEST_CASE("broker account mistakes name the file, line and column", "[settings]") {
    TempDir dir;
    dir.write("secrets/empty", "\n");
    Diagnostics diagnostics;
    CHECK_FALSE(load_broker_access(dir,
                                   "broker:\n"
                                   "  url: tcp://127.0.0.1:1883\n"
                                   "  password_file: secrets/missing\n"
                                   "  tls: {ca_file: nowhere.pem}\n"
                                   "stakeholders: [{id: hs}]\n"
                                   "broker_users:\n"
                                   "  - {name: hs, password_file: x}\n"
                                   "  - {name: passerelle, password_file: x}\n"
                                   "  - {name: radio, password_file: x, publish: [a/#/b]}\n"
                                   "  - {name: relay}\n",
                                   diagnostics)
                    .has_value());
    const std::string text = errors(diagnostics);
    CHECK(text.find("passerelle.yaml:3:18: error[config.missing-secret]: cannot read the secret "
                    "file") != std::string::npos);
    CHECK(text.find("passerelle.yaml:4:18: error[config.missing-file]: tls ca_file") !=
          std::string::npos);
    CHECK(text.find("passerelle.yaml:4:8: error[config.tls-without-ssl]: 'tls' is given but the "
                    "broker URL 'tcp://127.0.0.1:1883' is not TLS") != std::string::npos);
    CHECK(
        text.find("passerelle.yaml:7:12: error[config.duplicate-broker-user]: broker user 'hs'") !=
        std::string::npos);
    CHECK(text.find("passerelle.yaml:8:12: error[config.duplicate-broker-user]: broker user "
                    "'passerelle'") != std::string::npos);
    CHECK(text.find("passerelle.yaml:9:47: error[config.bad-topics]") != std::string::npos);
    CHECK(text.find("passerelle.yaml:10:5: error[yaml.missing-key]") != std::string::npos);

    Diagnostics both;
    CHECK_FALSE(load_broker_access(
                    dir, "broker: {password_env: HOME, password_file: secrets/empty}\n", both)
                    .has_value());
    CHECK(errors(both).find("config.two-secrets") != std::string::npos);
    CHECK(read_secret(dir.write("blank", "\n")).error().message.find("is empty") !=
          std::string::npos);
}

}  // namespace
}  // namespace passerelle::config
