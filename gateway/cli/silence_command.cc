// SPDX-License-Identifier: Apache-2.0
// `passerelle silence add|expire|list`: a stakeholder silences some of its routed alerts for a
// while, through the broker as the running gateway hears it, and anyone reads the silences in
// force from the store (docs/routing.md).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "gateway/bus/bus.h"
#include "gateway/cli/broker_account.h"
#include "gateway/cli/commands.h"
#include "gateway/routing/silence.h"
#include "gateway/store/route_state.h"
#include "gateway/store/store.h"

namespace passerelle::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct SilenceOptions {
    std::string config;
    std::string broker;                 // empty: the configuration's
    std::string as;                     // the stakeholder whose alerts it silences
    std::vector<std::string> matchers;  // label=value
    std::string length;
    std::string until;
    std::string author;
    std::string reason;
    std::string id;        // for expire
    std::string data_dir;  // for list
};

/// Waits for the connection and for the acknowledgement of one message.
class OneMessage final : public bus::BusHandler {
public:
    void on_message(bus::BusMessage /*message*/) override {}
    void on_connected(bool /*session_present*/) override { connected = true; }
    void on_disconnected(std::string /*reason*/) override {}
    void on_delivered(std::uint64_t /*id*/) override { delivered = true; }
    void on_rejected(std::uint64_t /*id*/, std::string why) override {
        rejected = true;
        reason = std::move(why);
    }

    std::atomic<bool> connected{false};
    std::atomic<bool> delivered{false};
    std::atomic<bool> rejected{false};
    std::string reason;  // read once `rejected` is seen
};

template <typename Predicate>
bool wait_for(Predicate done, std::chrono::seconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!done()) {
        if (SteadyClock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// Publishes `payload` on notify/<as>/silence as the stakeholder `as`, at QoS 1.
int publish_request(const SilenceOptions& options, const nlohmann::json& payload) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    auto account = account_credentials(*settings, options.as);
    if (!account) {
        std::fprintf(stderr, "silence: %s\n", account.error().message.c_str());
        return kExitUsage;
    }
    bus::BusOptions bus_options;
    bus_options.url = options.broker.empty() ? settings->broker.url : options.broker;
    std::tie(bus_options.username, bus_options.password) = std::move(*account);
    bus_options.tls_ca_file = settings->broker.tls.ca_file;
    bus_options.tls_cert_file = settings->broker.tls.cert_file;
    bus_options.tls_key_file = settings->broker.tls.key_file;
    bus_options.client_id = fmt::format("passerelle-silence-{}", ::getpid());
    bus_options.persistent_session = false;
    OneMessage handler;
    auto bus = bus::make_paho_bus(bus_options, handler);
    if (!bus) {
        std::fprintf(stderr, "silence: %s\n", bus.error().message.c_str());
        return kExitUsage;
    }
    if (auto started = (*bus)->start(); !started) {
        std::fprintf(stderr, "silence: %s\n", started.error().message.c_str());
        return kExitBroker;
    }
    const auto stop = [&] { (*bus)->stop(std::chrono::milliseconds(500), std::nullopt); };
    if (!wait_for([&] { return handler.connected.load(); }, std::chrono::seconds(10))) {
        std::fprintf(stderr, "silence: cannot connect to %s\n", bus_options.url.c_str());
        stop();
        return kExitBroker;
    }
    const std::string topic = fmt::format("notify/{}/silence", options.as);
    if (auto sent = (*bus)->publish({1, topic, payload.dump(), 1, false}); !sent) {
        std::fprintf(stderr, "silence: %s\n", sent.error().message.c_str());
        stop();
        return kExitBroker;
    }
    const bool answered =
        wait_for([&] { return handler.delivered.load() || handler.rejected.load(); },
                 std::chrono::seconds(10));
    stop();
    if (!answered || handler.rejected) {
        std::fprintf(stderr, "silence: the broker did not take it on %s%s%s\n", topic.c_str(),
                     handler.rejected ? ": " : "", handler.rejected ? handler.reason.c_str() : "");
        return kExitBroker;
    }
    std::printf(
        "sent on %s; the gateway's log says what it did, `passerelle silence list` shows "
        "the silences in force\n",
        topic.c_str());
    return kExitOk;
}

int add(const SilenceOptions& options) {
    // The gateway checks the end against its rule time; a mistake comes back as a dead letter.
    if (options.length.empty() && options.until.empty()) {
        std::fprintf(stderr,
                     "silence: give --for (e.g. 3d) or --until (e.g. "
                     "2026-07-20T18:00:00Z): a silence ends\n");
        return kExitUsage;
    }
    nlohmann::json matchers = nlohmann::json::object();
    for (const auto& matcher : options.matchers) {
        const auto equal = matcher.find('=');
        if (equal == std::string::npos || equal == 0 || equal + 1 == matcher.size()) {
            std::fprintf(stderr, "silence: --match takes label=value, not '%s'\n", matcher.c_str());
            return kExitUsage;
        }
        matchers[matcher.substr(0, equal)] = matcher.substr(equal + 1);
    }
    nlohmann::json payload{
        {"matchers", std::move(matchers)}, {"author", options.author}, {"reason", options.reason}};
    if (!options.length.empty()) {
        payload["for"] = options.length;
    }
    if (!options.until.empty()) {
        payload["until"] = options.until;
    }
    return publish_request(options, payload);
}

int expire(const SilenceOptions& options) {
    return publish_request(options, {{"expire", options.id}, {"author", options.author}});
}

int list(const SilenceOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    const std::string data_dir = options.data_dir.empty() ? settings->data_dir : options.data_dir;
    auto database = store::open_store_for_reading(data_dir);
    if (!database) {
        std::fprintf(stderr, "silence: %s\n", database.error().message.c_str());
        return kExitUsage;
    }
    auto state = store::RouteState::open(*database);
    auto rows = state ? state->all()
                      : Result<std::vector<std::pair<std::string, std::string>>>(state.error());
    if (!rows) {
        std::fprintf(stderr, "silence: %s\n", rows.error().message.c_str());
        return kExitUsage;
    }
    std::size_t count = 0;
    for (const auto& [key, text] : *rows) {
        if (!key.starts_with("silence/")) {
            continue;
        }
        const auto silence =
            routing::silence_from_json(nlohmann::json::parse(text, nullptr, false));
        if (!silence) {
            continue;
        }
        ++count;
        std::printf("%s  %-12s %-40s until %s  by %s: %s\n", silence->id.c_str(),
                    silence->recipient.c_str(), nlohmann::json(silence->matchers).dump().c_str(),
                    format_utc(silence->ends).c_str(), silence->author.c_str(),
                    silence->reason.c_str());
    }
    std::printf("%zu silence(s) in force\n", count);
    return kExitOk;
}

}  // namespace

void add_silence_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SilenceOptions>();
    auto* command = app.add_subcommand(
        "silence", "Silence some routed alerts for a while, end a silence, or list them");
    command->require_subcommand(1);
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);

    auto* add_command = command->add_subcommand(
        "add", "Silence the routed alerts of a stakeholder that carry these labels");
    add_command->add_option("--as", options->as, "The stakeholder whose alerts it silences")
        ->required();
    add_command->add_option("--broker", options->broker,
                            "Broker URL (default: the configuration's)");
    add_command->add_option("--match", options->matchers, "label=value, e.g. building=hs-bat-a")
        ->required();
    auto* length =
        add_command->add_option("--for", options->length, "How long, e.g. 3d or 2h30min");
    auto* until = add_command->add_option("--until", options->until,
                                          "Until when, in UTC, e.g. 2026-07-20T18:00:00Z");
    length->excludes(until);
    add_command->add_option("--author", options->author, "Who silences")->required();
    add_command->add_option("--reason", options->reason, "Why")->required();
    add_command->callback([options, &exit_code] { exit_code = add(*options); });

    auto* expire_command = command->add_subcommand("expire", "End a silence before its time");
    expire_command->add_option("id", options->id, "The silence's id (from `silence list`)")
        ->required();
    expire_command->add_option("--as", options->as, "The stakeholder the silence is for")
        ->required();
    expire_command->add_option("--broker", options->broker,
                               "Broker URL (default: the configuration's)");
    expire_command->add_option("--author", options->author, "Who ends it")->required();
    expire_command->callback([options, &exit_code] { exit_code = expire(*options); });

    auto* list_command = command->add_subcommand("list", "The silences in force, from the store");
    list_command->add_option("--data", options->data_dir,
                             "Data directory (default: storage.data_dir)");
    list_command->callback([options, &exit_code] { exit_code = list(*options); });
}

}  // namespace passerelle::cli
