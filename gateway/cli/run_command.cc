// SPDX-License-Identifier: Apache-2.0
// `passerelle run`: the daemon, until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "gateway/bus/broker_url.h"
#include "gateway/cli/commands.h"
#include "gateway/core/topic.h"
#include "gateway/daemon/gateway.h"
#include "gateway/daemon/rules_fingerprint.h"
#include "gateway/daemon/rules_watcher.h"
#include "gateway/store/store.h"
#include "rules/compiler/rule_compiler.h"

namespace passerelle::cli {
namespace {

struct RunOptions {
    std::string config;
    std::string broker;
    std::string data_dir;
    std::string instance;
};

// Armed before the rules are read, so that an edit made meanwhile is not missed. None when
// `rules_reload.watch` is off or inotify cannot be used: SIGHUP still reloads.
std::unique_ptr<daemon::RulesWatcher> watch_rules(const config::Settings& settings) {
    if (!settings.rules_reload.watch) {
        return nullptr;
    }
    auto watcher = daemon::RulesWatcher::create(
        settings.rule_globs,
        std::chrono::duration_cast<std::chrono::milliseconds>(settings.rules_reload.debounce));
    if (!watcher) {
        spdlog::warn("{}; reload with SIGHUP", watcher.error().message);
        return nullptr;
    }
    return std::move(*watcher);
}

int run(RunOptions options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    if (!options.broker.empty()) {
        if (auto url = bus::parse_broker_url(options.broker); !url) {
            spdlog::error("--broker: {}", url.error().message);
            return kExitUsage;
        }
        settings->broker.url = options.broker;
    }
    if (!options.data_dir.empty()) {
        settings->data_dir = options.data_dir;
    }
    if (!options.instance.empty()) {
        if (!is_identifier(options.instance)) {
            spdlog::error("--instance '{}': letters, digits, '-', '_' and '.' only, since it becomes "
                          "an MQTT topic level",
                          options.instance);
            return kExitUsage;
        }
        if (settings->broker.client_id == "passerelle-" + settings->instance) {
            settings->broker.client_id = "passerelle-" + options.instance;
        }
        settings->instance = options.instance;
    }
    auto watcher = watch_rules(*settings);
    const std::uint64_t fingerprint = daemon::fingerprint_files(settings->rule_files);
    const auto rule_set = load_rules_or_report(*settings);
    if (!rule_set) {
        return kExitConfig;
    }
    // Locked for the whole run: two gateways on one store would send every notification twice.
    auto store = store::Store::open(settings->data_dir);
    if (!store) {
        spdlog::error("{}", store.error().message);
        return kExitStore;
    }
    daemon::PersistenceLimits limits;
    limits.outbox_limit = settings->outbox_limit;

    // Signals are taken by one thread with sigwait, so no handler runs inside Paho's threads. The
    // first SIGINT/SIGTERM stops gracefully; a second one, during the drain, stops at once.
    // SIGUSR1 only wakes the thread when the gateway stopped by itself; SIGHUP reloads the rules.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    SystemClock clock;
    daemon::Gateway gateway(*settings, rule_set, fingerprint, clock,
                            std::make_unique<daemon::Persistence>(std::move(*store), limits));
    std::thread signal_waiter([&signals, &gateway] {
        bool stopping = false;
        while (true) {
            int signal_number = 0;
            if (sigwait(&signals, &signal_number) != 0 || signal_number == SIGUSR1) {
                return;
            }
            if (signal_number == SIGHUP) {
                spdlog::info("received SIGHUP: reloading the rules");
                gateway.request_reload();
                continue;
            }
            if (stopping) {
                spdlog::warn("second {}: stopping now, without waiting for acknowledgements",
                             strsignal(signal_number));
                std::_Exit(128 + signal_number);
            }
            spdlog::info("received {}, shutting down (again to stop at once)",
                         strsignal(signal_number));
            stopping = true;
            gateway.request_stop();
        }
    });
    if (watcher) {
        // Started after the signal mask is set: its thread inherits it.
        watcher->start([&gateway] { gateway.request_reload(daemon::ReloadCause::FilesChanged); });
    }
    const int code = gateway.run();
    watcher.reset();  // its callback refers to the gateway
    pthread_kill(signal_waiter.native_handle(), SIGUSR1);
    signal_waiter.join();
    return code;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunOptions>();
    auto* command = app.add_subcommand("run", "Run the gateway until SIGINT or SIGTERM");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--broker", options->broker, "Broker URL, e.g. tcp://127.0.0.1:1883");
    command->add_option("--data", options->data_dir, "Data directory (storage)");
    command->add_option("--instance", options->instance, "Instance name used in status topics");
    command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace passerelle::cli
