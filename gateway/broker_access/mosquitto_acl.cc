// SPDX-License-Identifier: Apache-2.0
#include "gateway/broker_access/mosquitto_acl.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "gateway/config/broker_access_loader.h"

namespace passerelle::broker_access {
namespace {

void add_unique(std::vector<std::string>& filters, const std::string& filter) {
    if (std::find(filters.begin(), filters.end(), filter) == filters.end()) {
        filters.push_back(filter);
    }
}

std::vector<std::string_view> levels(std::string_view filter) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t slash = filter.find('/', start);
        parts.push_back(filter.substr(start, slash - start));
        if (slash == std::string_view::npos) {
            return parts;
        }
        start = slash + 1;
    }
}

/// Whether some topic matches both filters (e.g. "telemetry/+/t1/#" and "telemetry/hs/#").
bool reaches(std::string_view filter, std::string_view space) {
    const auto a = levels(filter);
    const auto b = levels(space);
    for (std::size_t i = 0;; ++i) {
        if (i < a.size() && a[i] == "#") {
            return true;
        }
        if (i < b.size() && b[i] == "#") {
            return true;
        }
        if (i == a.size() || i == b.size()) {
            return a.size() == b.size();
        }
        if (a[i] != b[i] && a[i] != "+" && b[i] != "+") {
            return false;
        }
    }
}

}  // namespace

std::vector<AccountRights> account_rights(const config::Settings& settings) {
    std::vector<AccountRights> accounts;
    const std::string own = fmt::format("passerelle/{}/#", settings.instance);
    const std::string status = fmt::format("passerelle/{}/status", settings.instance);

    AccountRights gateway{config::gateway_broker_user(settings),
                          fmt::format("the gateway, instance '{}'", settings.instance),
                          {"telemetry/#", "signal/#"},
                          // Connectors' readings go out under their provider's name, publish
                          // actions as signals; the copies of its notifications come back to it.
                          {"telemetry/#", "signal/#"}};
    gateway.read.push_back("notify/#");
    gateway.write.push_back("notify/#");
    gateway.read.push_back(own);
    gateway.write.push_back(own);
    for (const auto& filter : settings.connectors.topics()) {
        add_unique(gateway.read, filter);
    }
    accounts.push_back(std::move(gateway));

    for (const auto& party : settings.territory.stakeholders) {
        AccountRights rights{party.id, fmt::format("stakeholder: {}", party.name), {}, {}};
        for (const char* space : {"telemetry", "signal"}) {
            const std::string filter = fmt::format("{}/{}/#", space, party.id);
            rights.write.push_back(filter);
            rights.read.push_back(filter);  // its own data, to check what it sends
        }
        rights.read.push_back(fmt::format("notify/{}/#", party.id));
        // Its acknowledgements and silences of the routed notices it receives, and its desks'
        // presence (docs/routing.md).
        rights.write.push_back(fmt::format("notify/{}/ack", party.id));
        rights.write.push_back(fmt::format("notify/{}/silence", party.id));
        rights.write.push_back(fmt::format("notify/{}/presence", party.id));
        rights.write.push_back(fmt::format("notify/{}/+/presence", party.id));
        rights.read.push_back(status);
        accounts.push_back(std::move(rights));
    }
    for (const auto& user : settings.broker_users) {
        accounts.push_back(AccountRights{user.name, "broker user", user.subscribe, user.publish});
    }
    return accounts;
}

std::vector<std::string> rights_warnings(const config::Settings& settings) {
    std::vector<std::string> warnings;
    for (const auto& user : settings.broker_users) {
        std::vector<std::string> providers;
        std::vector<std::string> recipients;
        for (const auto& party : settings.territory.stakeholders) {
            for (const auto& filter : user.publish) {
                if (reaches(filter, fmt::format("telemetry/{}/#", party.id)) ||
                    reaches(filter, fmt::format("signal/{}/#", party.id))) {
                    add_unique(providers, party.id);
                }
            }
            for (const auto& filter : user.subscribe) {
                if (reaches(filter, fmt::format("notify/{}/#", party.id))) {
                    add_unique(recipients, party.id);
                }
            }
        }
        if (!providers.empty()) {
            warnings.push_back(fmt::format(
                "broker user '{}' may publish data in the name of {}: the gateway cannot tell "
                "its messages from theirs",
                user.name, fmt::join(providers, ", ")));
        }
        if (!recipients.empty()) {
            warnings.push_back(fmt::format("broker user '{}' may read the notifications of {}",
                                           user.name, fmt::join(recipients, ", ")));
        }
    }
    return warnings;
}

std::string render_acl(const std::vector<AccountRights>& accounts, const std::string& source) {
    std::string text = fmt::format(
        "# Mosquitto ACL written by `passerelle acl` from {}.\n"
        "# Do not edit: change the configuration and run the command again.\n"
        "# Anonymous clients get no right at all (no topic line before the first user).\n",
        source);
    for (const auto& account : accounts) {
        text += fmt::format("\n# {}\nuser {}\n", account.why, account.user);
        for (const auto& filter : account.read) {
            const bool both = std::find(account.write.begin(), account.write.end(), filter) !=
                              account.write.end();
            text += fmt::format("topic {} {}\n", both ? "readwrite" : "read", filter);
        }
        for (const auto& filter : account.write) {
            if (std::find(account.read.begin(), account.read.end(), filter) == account.read.end()) {
                text += fmt::format("topic write {}\n", filter);
            }
        }
    }
    return text;
}

}  // namespace passerelle::broker_access
