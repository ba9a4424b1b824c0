// SPDX-License-Identifier: Apache-2.0
// `passerelle simulate`: publishes a scenario's readings to a broker and shows the notifications
// that come back.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "gateway/bus/bus.h"
#include "gateway/cli/commands.h"
#include "gateway/core/clock.h"
#include "gateway/core/senml.h"
#include "gateway/simulate/heatwave_scenario.h"

namespace passerelle::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct SimulateOptions {
    std::string config;
    std::string broker = "tcp://127.0.0.1:1883";
    std::string scenario = "heatwave";
    double speed = 1.0;
    std::string record;
    bool watch = true;
    double linger_seconds = 3.0;
};

/// Prints the notifications the territory's parties receive, one readable line each.
class NotificationPrinter final : public bus::BusHandler {
public:
    void on_message(bus::BusMessage message) override {
        const auto body = nlohmann::json::parse(message.payload, nullptr, false);
        const std::lock_guard lock(mutex_);
        last_arrival_ = SteadyClock::now();
        if (!body.is_object()) {
            std::printf("  %s: (not JSON) %s\n", message.topic.c_str(), message.payload.c_str());
            std::fflush(stdout);
            return;
        }
        const std::string recipient = body.value("recipient", "?");
        ++per_recipient_[recipient];
        std::printf("  %-20s → %-14s %-8s %-20s %-10s %s\n", body.value("ts", "").c_str(),
                    recipient.c_str(), body.value("status", "?") == "firing" ? "ALERTE" : "FIN",
                    body.value("rule", "").c_str(), body.value("key", "").c_str(),
                    body.value("message", "").c_str());
        std::fflush(stdout);
    }
    void on_connected(bool /*session_present*/) override {
        const std::lock_guard lock(mutex_);
        connected_ = true;
    }
    void on_disconnected(std::string reason) override {
        if (!stopping_) {
            spdlog::warn("broker: connection lost: {}", reason);
        }
    }
    void stopping() { stopping_ = true; }
    void on_delivered(std::uint64_t /*id*/) override {}

    bool connected() {
        const std::lock_guard lock(mutex_);
        return connected_;
    }
    SteadyClock::time_point last_arrival() {
        const std::lock_guard lock(mutex_);
        return last_arrival_;
    }
    std::map<std::string, int> per_recipient() {
        const std::lock_guard lock(mutex_);
        return per_recipient_;
    }

private:
    std::mutex mutex_;
    std::atomic<bool> stopping_{false};
    bool connected_ = false;
    SteadyClock::time_point last_arrival_ = SteadyClock::now();
    std::map<std::string, int> per_recipient_;
};

int simulate(const SimulateOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    const SystemClock clock;
    simulate::ScenarioOptions scenario_options;
    // Start on a quarter hour so the readings' times look like a sensor's.
    scenario_options.start = std::chrono::floor<std::chrono::minutes>(clock.now());
    auto readings = simulate::heatwave_scenario(settings->territory, scenario_options);
    if (!readings) {
        std::fprintf(stderr, "simulate: %s\n", readings.error().message.c_str());
        return kExitConfig;
    }
    std::ofstream record;
    if (!options.record.empty()) {
        record.open(options.record, std::ios::trunc);
        if (!record) {
            std::fprintf(stderr, "simulate: cannot write '%s'\n", options.record.c_str());
            return kExitUsage;
        }
    }

    NotificationPrinter printer;
    bus::BusOptions bus_options;
    bus_options.url = options.broker;
    bus_options.client_id = fmt::format("passerelle-simulate-{}", ::getpid());
    bus_options.persistent_session = false;
    if (options.watch) {
        bus_options.subscriptions.emplace_back("notify/#", 1);
    }
    auto bus = bus::make_paho_bus(bus_options, printer);
    if (!bus) {
        std::fprintf(stderr, "simulate: %s\n", bus.error().message.c_str());
        return kExitUsage;
    }
    if (auto started = (*bus)->start(); !started) {
        std::fprintf(stderr, "simulate: %s\n", started.error().message.c_str());
        return kExitBroker;
    }
    const auto connect_deadline = SteadyClock::now() + std::chrono::seconds(10);
    while (!printer.connected()) {
        if (SteadyClock::now() > connect_deadline) {
            std::fprintf(stderr, "simulate: cannot connect to %s\n", options.broker.c_str());
            (*bus)->stop(std::chrono::milliseconds(0), std::nullopt);
            return kExitBroker;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    const auto& schedule = *readings;
    const Timestamp first = schedule.front().reading.time;
    const Duration span = schedule.back().reading.time - first;
    std::printf("simulate: scenario '%s', %zu readings over %s of territory time, speed x%g\n",
                options.scenario.c_str(), schedule.size(), format_duration(span).c_str(),
                options.speed);
    std::fflush(stdout);
    const auto wall_start = SteadyClock::now();
    for (const auto& item : schedule) {
        // Territory time runs `speed` times faster than the wall clock.
        const auto offset = std::chrono::duration_cast<SteadyClock::duration>(
            std::chrono::duration<double, std::micro>(
                static_cast<double>((item.reading.time - first).count()) / options.speed));
        std::this_thread::sleep_until(wall_start + offset);
        if (auto sent = (*bus)->publish({0, item.topic, encode_senml(item.reading), 1, false});
            !sent) {
            std::fprintf(stderr, "simulate: %s\n", sent.error().message.c_str());
        }
        if (record.is_open()) {
            record << encode_recorded_reading(item.topic, item.reading) << '\n';
        }
    }
    // Give the gateway time to answer the last readings: wait until notifications stop arriving.
    const auto linger = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(options.linger_seconds));
    const auto published_at = SteadyClock::now();
    while (SteadyClock::now() - std::max(printer.last_arrival(), published_at) < linger) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    printer.stopping();
    (*bus)->stop(std::chrono::seconds(5), std::nullopt);
    const auto counts = printer.per_recipient();
    int total = 0;
    std::string breakdown;
    for (const auto& [recipient, count] : counts) {
        total += count;
        breakdown += fmt::format("{}{} {}", breakdown.empty() ? "" : ", ", recipient, count);
    }
    std::printf("simulate: published %zu readings in %.1f s; %d notifications received%s%s%s\n",
                schedule.size(),
                std::chrono::duration<double>(SteadyClock::now() - wall_start).count(), total,
                breakdown.empty() ? "" : " (", breakdown.c_str(), breakdown.empty() ? "" : ")");
    return kExitOk;
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SimulateOptions>();
    auto* command = app.add_subcommand(
        "simulate", "Publish a scenario's readings to a broker and show the notifications sent back");
    command->add_option("-c,--config", options->config, "passerelle.yaml of the territory")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--broker", options->broker, "Broker URL")->capture_default_str();
    command->add_option("--scenario", options->scenario, "Scenario")
        ->check(CLI::IsMember(simulate::scenario_names()))
        ->capture_default_str();
    command->add_option("--speed", options->speed, "Territory seconds per wall-clock second")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--record", options->record,
                        "Write every published reading to this JSONL file");
    command->add_flag("!--no-watch", options->watch, "Do not subscribe to notify/#");
    command->add_option("--linger", options->linger_seconds,
                        "Seconds without notifications before exiting")
        ->capture_default_str();
    command->callback([options, &exit_code] { exit_code = simulate(*options); });
}

}  // namespace passerelle::cli
