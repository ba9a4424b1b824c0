// SPDX-License-Identifier: Apache-2.0
#include "gateway/broker_access/mosquitto_acl.h"

#include <catch2/catch.hpp>

namespace passerelle::broker_access {
namespace {

config::Settings territory() {
    config::Settings settings;
    settings.instance = "villeneuve";
    settings.territory.stakeholders = {{"hs", "Habitat Sud", "bailleur", {}},
                                       {"ccas", "CCAS", "ccas", {}}};
    settings.connectors.lorawan_topics = {"application/+/device/+/event/up"};
    return settings;
}

const AccountRights& account(const std::vector<AccountRights>& accounts, const std::string& user) {
    for (const auto& rights : accounts) {
        if (rights.user == user) {
            return rights;
        }
    }
    FAIL("no account " << user);
    throw std::logic_error("unreachable");
}

TEST_CASE("each stakeholder writes under its own name and reads its own notifications") {
    const auto accounts = account_rights(territory());
    REQUIRE(accounts.size() == 3);
    const auto& hs = account(accounts, "hs");
    CHECK(hs.write == std::vector<std::string>{"telemetry/hs/#", "signal/hs/#", "notify/hs/ack",
                                               "notify/hs/silence", "notify/hs/presence",
                                               "notify/hs/+/presence"});
    CHECK(hs.read == std::vector<std::string>{"telemetry/hs/#", "signal/hs/#", "notify/hs/#",
                                              "passerelle/villeneuve/status"});
}

TEST_CASE("the gateway reads field data and its connectors' topics, and writes notifications") {
    auto settings = territory();
    settings.broker.username = "gw";
    const auto accounts = account_rights(settings);
    const auto& gateway = account(accounts, "gw");
    CHECK(gateway.read == std::vector<std::string>{"telemetry/#", "signal/#", "notify/#",
                                                   "passerelle/villeneuve/#",
                                                   "application/+/device/+/event/up"});
    CHECK(gateway.write == std::vector<std::string>{"telemetry/#", "signal/#", "notify/#",
                                                    "passerelle/villeneuve/#"});
    CHECK(account(account_rights(territory()), "passerelle").user == "passerelle");
}

TEST_CASE("the ACL file lists each account's rights, nothing for anonymous clients") {
    auto settings = territory();
    settings.broker_users = {{"radio", "/s/radio", {"wmbus/+/telegram"}, {}, {}}};
    const std::string text = render_acl(account_rights(settings), "passerelle.yaml");
    CHECK(text.starts_with("# Mosquitto ACL written by `passerelle acl` from passerelle.yaml.\n"));
    // Nothing before the first `user` line: those rights would be anonymous clients'.
    CHECK(text.find("\ntopic") > text.find("\nuser "));
    CHECK(text.find("user hs\ntopic readwrite telemetry/hs/#\ntopic readwrite signal/hs/#\n"
                    "topic read notify/hs/#\ntopic read passerelle/villeneuve/status\n"
                    "topic write notify/hs/ack\ntopic write notify/hs/silence\n"
                    "topic write notify/hs/presence\ntopic write notify/hs/+/presence\n") !=
          std::string::npos);
    CHECK(text.find("user radio\ntopic write wmbus/+/telegram\n") != std::string::npos);
}

TEST_CASE("broker users that can speak for a provider or read its notifications are pointed out") {
    auto settings = territory();
    settings.broker_users = {
        {"radio", "/s", {"wmbus/+/telegram"}, {}, {}},
        {"simulateur", "/s", {"telemetry/+/+/temperature"}, {"notify/#"}, {}},
        {"relais", "/s", {"signal/hs/level"}, {"notify/ccas/x"}, {}},
    };
    const auto warnings = rights_warnings(settings);
    REQUIRE(warnings.size() == 4);
    CHECK(warnings[0] ==
          "broker user 'simulateur' may publish data in the name of hs, ccas: the gateway cannot "
          "tell its messages from theirs");
    CHECK(warnings[1] == "broker user 'simulateur' may read the notifications of hs, ccas");
    CHECK(warnings[2].starts_with("broker user 'relais' may publish data in the name of hs:"));
    CHECK(warnings[3] == "broker user 'relais' may read the notifications of ccas");
}

}  // namespace
}  // namespace passerelle::broker_access
