// SPDX-License-Identifier: Apache-2.0
// `passerelle simulate`: publishes a scenario's readings to a broker and shows the notifications
// that come back, or only writes them to a file.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "gateway/bus/broker_url.h"
#include "gateway/bus/bus.h"
#include "gateway/cli/broker_account.h"
#include "gateway/cli/commands.h"
#include "gateway/config/broker_access_loader.h"
#include "gateway/core/clock.h"
#include "gateway/core/senml.h"
#include "gateway/ruletest/test_file.h"
#include "gateway/simulate/loopback.h"
#include "gateway/simulate/lorawan_uplinks.h"
#include "gateway/simulate/meter_telegrams.h"
#include "gateway/simulate/modbus_registers.h"
#include "gateway/simulate/scenario.h"
#include "gateway/simulate/served_devices.h"

namespace passerelle::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct SimulateOptions {
    std::string config;
    std::string broker;  // empty: the configuration's broker.url
    bool allow_remote = false;
    std::string scenario = "canicule";
    std::string start;  // empty: the quarter hour at or before now
    double speed = 1.0;
    std::string record;
    bool publish = true;
    bool watch = true;
    double linger_seconds = 3.0;
    std::string as;  // a broker account of the configuration; empty: the gateway's
};

// Bounds that keep every wall-clock offset computed from them far inside the range of
// SteadyClock::duration (±292 years): the longest scenario, the winter's 4¼ days of territory
// time, lasts 12 years at x0.001.
constexpr double kMinSpeed = 0.001;
constexpr double kMaxLingerSeconds = 24.0 * 3600.0;

/// CLI11 converts "nan" and "inf" to doubles, and its range checks let NaN through since every
/// comparison with NaN is false; turning either into a std::chrono duration is undefined
/// behaviour. This parses the text itself and accepts only finite values within [min, max].
CLI::Validator finite_number(double min, double max, const std::string& expected) {
    return CLI::Validator(
        [min, max, expected](std::string& text) -> std::string {
            errno = 0;
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(value) ||
                value < min || value > max) {
                return fmt::format("'{}' is not {}", text, expected);
            }
            return {};
        },
        "FINITE");
}

/// A time the scenario may start at: "2026-11-25T10:00:00Z".
CLI::Validator utc_time() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (!parse_utc(text)) {
                return fmt::format("'{}' is not a UTC time; write it as 2026-11-25T10:00:00Z",
                                   text);
            }
            return {};
        },
        "UTC-TIME");
}

/// SIGINT and SIGTERM, blocked in every thread and taken synchronously by the publishing thread,
/// so that an interrupted run stops between two readings and still stops the bus, closes the
/// record and prints its summary. Construct it before the bus so that Paho's threads inherit the
/// mask. The mask is left in place afterwards: the process ends once the command returns, and a
/// signal arriving during that last step must not kill it before it reports its exit code.
class Interruption {
public:
    Interruption() {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    }

    /// Sleeps until `deadline` unless a signal comes first (one arrived earlier counts too).
    /// @return true when the run was interrupted.
    bool wait_until(SteadyClock::time_point deadline) {
        while (signal_ == 0) {
            const auto remaining =
                std::max(deadline - SteadyClock::now(), SteadyClock::duration::zero());
            const auto seconds = std::chrono::floor<std::chrono::seconds>(remaining);
            timespec timeout{};
            timeout.tv_sec = static_cast<std::time_t>(seconds.count());
            timeout.tv_nsec = static_cast<long>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(remaining - seconds).count());
            const int taken = ::sigtimedwait(&signals_, nullptr, &timeout);
            if (taken > 0) {
                signal_ = taken;
            } else if (remaining == SteadyClock::duration::zero()) {
                break;  // the deadline had passed: one check for a pending signal was enough
            }
            // Otherwise the timeout expired (EAGAIN) or another signal's handler ran (EINTR):
            // measure what is left and wait again.
        }
        return signal_ != 0;
    }

    /// Checks for a pending signal without waiting.
    bool check() { return wait_until(SteadyClock::now()); }

    bool interrupted() const { return signal_ != 0; }
    int signal_number() const { return signal_; }
    /// 128 + the signal number, as a shell reports a process killed by it (130 for SIGINT).
    int exit_code() const { return 128 + signal_; }

private:
    sigset_t signals_{};
    int signal_ = 0;
};

/// Prints the notifications the territory's parties receive, one readable line each.
class NotificationPrinter final : public bus::BusHandler {
public:
    void on_message(bus::BusMessage message) override {
        if (message.topic.ends_with("/presence")) {
            return;  // a desk saying its client is connected: not a notification
        }
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
        if (const auto alerts = body.find("alerts"); alerts != body.end() && alerts->is_array()) {
            print_group(body, *alerts);
            return;
        }
        std::printf("  %-20s → %-14s %-8s %-20s %-10s %s\n", body.value("ts", "").c_str(),
                    recipient.c_str(), body.value("status", "?") == "firing" ? "ALERTE" : "FIN",
                    body.value("rule", "").c_str(), body.value("key", "").c_str(),
                    body.value("message", "").c_str());
        std::fflush(stdout);
    }
    // A route's notice: a line for the group, then its alerts' messages, indented.
    static void print_group(const nlohmann::json& body, const nlohmann::json& alerts) {
        const auto count = [&](const char* field) { return body.value(field, 0); };
        std::string summary =
            fmt::format("{} en cours, {} terminée(s)", count("firing"), count("resolved"));
        if (body.contains("repeat")) {
            summary += fmt::format(", rappel {}", count("repeat"));
        }
        if (const auto step = body.find("escalation"); step != body.end() && step->is_object()) {
            summary += fmt::format(", sans prise en charge : escalade {}/{}",
                                   step->value("step", 0), step->value("of", 0));
        }
        if (const auto ack = body.find("acknowledged"); ack != body.end() && ack->is_object()) {
            summary += fmt::format(", pris en charge par {}", ack->value("by", "?"));
        }
        if (const auto fallback = body.find("fallback");
            fallback != body.end() && fallback->is_object()) {
            summary +=
                fmt::format(", relais pour {} ({})", fallback->value("for", "?"),
                            fallback->value("reason", "") == "refused" ? "refusé par le broker"
                                                                       : "pas connecté");
        }
        std::printf("  %-20s → %-14s %-8s %-20s %-10s %s\n", body.value("ts", "").c_str(),
                    body.value("receiver", "?").c_str(), "GROUPE", body.value("rule", "").c_str(),
                    body.value("group", "").c_str(), summary.c_str());
        for (const auto& alert : alerts) {
            if (alert.is_object()) {
                std::printf("  %-20s   %-14s %-8s %-20s %-10s %s\n", "", "",
                            alert.value("status", "?") == "firing" ? "alerte" : "fin", "",
                            alert.value("key", "").c_str(), alert.value("message", "").c_str());
            }
        }
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

/// "scenario 'hiver', 5450 readings from 2026-11-25T10:00:00Z to 2026-11-29T05:00:00Z (3d19h of
/// territory time)": how the first line of output names a run (deploy/demo.sh reads the end).
std::string describe(const std::string& scenario,
                     const std::vector<simulate::ScheduledReading>& schedule) {
    const Timestamp first = schedule.front().reading.time;
    const Timestamp last = schedule.back().reading.time;
    return fmt::format("scenario '{}', {} readings from {} to {} ({} of territory time)", scenario,
                       schedule.size(), format_utc(first), format_utc(last),
                       format_duration(last - first));
}

/// What a recording keeps of one published item: its reading, or the readings the gateway
/// decodes from a meter's telegram or polls from a Modbus device's registers.
void record_item(std::ostream& record, const simulate::ScheduledReading& item) {
    if (item.payload.empty() && item.registers.empty()) {
        record << encode_recorded_reading(item.topic, item.reading) << '\n';
        return;
    }
    for (const Reading& reading : item.carried) {
        record << encode_recorded_reading(canonical_topic(reading), reading) << '\n';
    }
}

/// --no-publish: the readings go to the record only, all at once, without a broker.
int record_only(const SimulateOptions& options, const std::string& scenario,
                const std::vector<simulate::ScheduledReading>& schedule) {
    std::ofstream record(options.record, std::ios::trunc);
    if (!record) {
        std::fprintf(stderr, "simulate: cannot write '%s'\n", options.record.c_str());
        return kExitUsage;
    }
    for (const auto& item : schedule) {
        record_item(record, item);
    }
    record.close();
    if (record.fail()) {
        std::fprintf(stderr, "simulate: writing '%s' failed; the record is incomplete\n",
                     options.record.c_str());
        return kExitProblems;
    }
    std::printf("simulate: %s, written to %s\n", describe(scenario, schedule).c_str(),
                options.record.c_str());
    return kExitOk;
}

/// How far ahead of the wall clock the readings arrive at a gateway when the first one is
/// published now and the others `speed` times faster than the wall clock: the largest of
/// `t - (now + (t - first) / speed)`, which is at the first or the last reading.
Duration furthest_ahead(const std::vector<simulate::ScheduledReading>& schedule, Timestamp now,
                        double speed) {
    const Timestamp first = schedule.front().reading.time;
    const auto ahead_at = [&](Timestamp t) {
        const auto wall =
            std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::micro>(
                static_cast<double>((t - first).count()) / speed));
        return t - (now + wall);
    };
    return std::max(ahead_at(first), ahead_at(schedule.back().reading.time));
}

int simulate(const SimulateOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    const SystemClock clock;
    simulate::ScenarioOptions scenario_options;
    scenario_options.start = options.start.empty() ? simulate::scenario_start(clock.now())
                                                   : *parse_utc(options.start);
    scenario_options.zone = settings->time_zone;
    const std::string scenario = simulate::canonical_scenario_name(options.scenario);
    auto readings = simulate::make_scenario(scenario, settings->territory, scenario_options);
    if (readings) {
        // Meters send radio telegrams: the demo goes through the wmbus connector as the field does.
        readings = simulate::as_meter_telegrams(std::move(*readings), settings->territory,
                                                settings->connectors);
    }
    if (readings) {
        // And LoRaWAN sensors send uplinks through their network server.
        readings = simulate::as_lorawan_uplinks(std::move(*readings), settings->territory,
                                                settings->connectors);
    }
    if (readings) {
        // The devices the gateway polls over Modbus on this machine are served, not published.
        readings = simulate::as_modbus_registers(std::move(*readings), settings->connectors);
    }
    if (!readings) {
        std::fprintf(stderr, "simulate: %s\n", readings.error().message.c_str());
        return kExitConfig;
    }
    if (readings->empty()) {
        std::fprintf(stderr, "simulate: scenario '%s' has no readings\n", scenario.c_str());
        return kExitConfig;
    }
    if (!options.publish) {
        return record_only(options, scenario, *readings);
    }
    // The configuration's broker and credentials, as `run` uses them; --broker moves the URL only.
    const std::string broker = options.broker.empty() ? settings->broker.url : options.broker;
    const auto broker_url = bus::parse_broker_url(broker);
    if (!broker_url) {
        std::fprintf(stderr, "simulate: %s\n", broker_url.error().message.c_str());
        return kExitUsage;
    }
    // The scenario publishes synthetic readings under the territory's real entity ids: on a
    // production broker a running gateway would take them for real and notify real people.
    if (!options.allow_remote && !simulate::is_loopback_host(broker_url->host)) {
        std::fprintf(stderr,
                     "simulate: refusing to publish to %s: '%s' is not a loopback address. The "
                     "scenario publishes synthetic readings under the territory's real entity "
                     "ids; a gateway listening on that broker would send real notifications to "
                     "the CCAS and the landlords. Use a private broker on 127.0.0.1, or pass "
                     "--allow-remote if this broker is only for tests.\n",
                     broker.c_str(), broker_url->host.c_str());
        return kExitUsage;
    }
    // A gateway with this configuration would dead-letter the readings dated too far ahead of its
    // clock: say so before publishing them (the gateway may run with another configuration).
    if (const Duration ahead = furthest_ahead(*readings, clock.now(), options.speed);
        ahead > settings->max_clock_ahead) {
        std::fprintf(stderr,
                     "simulate: warning: at speed x%g the readings run up to %s ahead of this "
                     "machine's clock, more than limits.max_clock_ahead (%s) of %s: a gateway "
                     "with this configuration refuses the later ones as from the future\n",
                     options.speed,
                     format_duration(std::chrono::ceil<std::chrono::minutes>(ahead)).c_str(),
                     format_duration(settings->max_clock_ahead).c_str(), options.config.c_str());
    }
    std::ofstream record;
    if (!options.record.empty()) {
        record.open(options.record, std::ios::trunc);
        if (!record) {
            std::fprintf(stderr, "simulate: cannot write '%s'\n", options.record.c_str());
            return kExitUsage;
        }
    }

    Interruption interruption;  // before the bus starts its threads
    NotificationPrinter printer;
    bus::BusOptions bus_options;
    bus_options.url = broker;
    bus_options.username = settings->broker.username;
    bus_options.password = settings->broker.password;
    if (!options.as.empty()) {
        auto account = account_credentials(*settings, options.as);
        if (!account) {
            std::fprintf(stderr, "simulate: %s\n", account.error().message.c_str());
            return kExitUsage;
        }
        std::tie(bus_options.username, bus_options.password) = std::move(*account);
    }
    bus_options.tls_ca_file = settings->broker.tls.ca_file;
    bus_options.tls_cert_file = settings->broker.tls.cert_file;
    bus_options.tls_key_file = settings->broker.tls.key_file;
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
            std::fprintf(stderr, "simulate: cannot connect to %s\n", broker.c_str());
            (*bus)->stop(std::chrono::milliseconds(0), std::nullopt);
            return kExitBroker;
        }
        if (interruption.wait_until(SteadyClock::now() + std::chrono::milliseconds(20))) {
            std::fprintf(stderr, "simulate: interrupted by %s before connecting; nothing sent\n",
                         strsignal(interruption.signal_number()));
            printer.stopping();
            (*bus)->stop(std::chrono::milliseconds(0), std::nullopt);
            return interruption.exit_code();
        }
    }

    const auto& schedule = *readings;
    const Timestamp first = schedule.front().reading.time;
    std::printf("simulate: %s, speed x%g\n", describe(scenario, schedule).c_str(), options.speed);
    std::fflush(stdout);
    std::size_t attempted = 0;
    std::size_t refused = 0;
    bool record_ok = true;
    const auto record_failed = [&] {
        if (record_ok) {
            std::fprintf(stderr, "simulate: writing '%s' failed; the record is incomplete\n",
                         options.record.c_str());
        }
        record_ok = false;
    };
    // Whole lines, one flush each: a run that is killed leaves only whole lines behind.
    const auto record_line = [&](const simulate::ScheduledReading& item) {
        if (record.is_open() && record_ok) {
            record_item(record, item);
            record << std::flush;
            if (!record) {
                record_failed();
            }
        }
    };
    simulate::ServedDevices served(simulate::served_modbus_devices(settings->connectors),
                                   [](const std::string& message) {
                                       std::fprintf(stderr, "simulate: %s\n", message.c_str());
                                   });
    bool serve_failed = false;
    const auto wall_start = SteadyClock::now();
    for (const auto& item : schedule) {
        // Territory time runs `speed` times faster than the wall clock.
        const auto offset = std::chrono::duration_cast<SteadyClock::duration>(
            std::chrono::duration<double, std::micro>(
                static_cast<double>((item.reading.time - first).count()) / options.speed));
        if (interruption.wait_until(wall_start + offset)) {
            break;
        }
        if (!item.registers.empty()) {
            // A Modbus device's registers: served until the gateway polls them, and recorded
            // once it has (a set it missed is no reading of the gateway's).
            auto polled = served.serve(item);
            if (!polled) {
                std::fprintf(stderr, "simulate: %s\n", polled.error().message.c_str());
                serve_failed = true;
                break;
            }
            if (*polled != nullptr) {
                record_line(**polled);
            }
            continue;
        }
        ++attempted;
        std::string payload = item.payload.empty() ? encode_senml(item.reading) : item.payload;
        if (auto sent = (*bus)->publish({0, item.topic, std::move(payload), 1, item.retained});
            !sent) {
            // The same cause (a full queue while disconnected) repeats for every reading: the
            // first few tell it, the summary counts them all.
            if (++refused <= 5) {
                std::fprintf(stderr, "simulate: %s: %s\n", item.topic.c_str(),
                             sent.error().message.c_str());
            }
            continue;  // not sent, so not recorded
        }
        record_line(item);
    }
    for (const auto* item : served.finish()) {
        record_line(*item);
    }
    if (!interruption.interrupted()) {
        // Give the gateway time to answer the last readings: wait until notifications stop
        // arriving.
        const auto linger = std::chrono::duration_cast<SteadyClock::duration>(
            std::chrono::duration<double>(options.linger_seconds));
        const auto published_at = SteadyClock::now();
        while (true) {
            const auto quiet_until = std::max(printer.last_arrival(), published_at) + linger;
            if (SteadyClock::now() >= quiet_until) {
                break;
            }
            if (interruption.wait_until(
                    std::min(quiet_until, SteadyClock::now() + std::chrono::milliseconds(50)))) {
                break;
            }
        }
    }
    printer.stopping();
    // Still waits for the acknowledgements of what was accepted, even when interrupted: those
    // readings are in the record, so the broker should have them.
    (*bus)->stop(std::chrono::seconds(5), std::nullopt);
    if (record.is_open()) {
        record.close();
        if (record.fail()) {
            record_failed();
        }
    }
    if (refused > 5) {
        std::fprintf(stderr, "simulate: %zu more publishes refused\n", refused - 5);
    }
    // Only the readings the broker acknowledged count as published; the others were refused by
    // the bus, rejected by the broker, or still unacknowledged when the bus stopped.
    const auto stats = (*bus)->stats();
    const std::size_t delivered = std::min(attempted, static_cast<std::size_t>(stats.delivered));
    // A Modbus register set the gateway never polled is a reading it never had.
    const std::size_t failed = attempted - delivered + (served.served() - served.polled());
    const bool interrupted = interruption.interrupted() || interruption.check();
    if (interrupted) {
        std::printf("simulate: interrupted by %s after %zu of %zu readings\n",
                    strsignal(interruption.signal_number()), attempted, schedule.size());
    }
    const auto counts = printer.per_recipient();
    int total = 0;
    std::string breakdown;
    for (const auto& [recipient, count] : counts) {
        total += count;
        breakdown += fmt::format("{}{} {}", breakdown.empty() ? "" : ", ", recipient, count);
    }
    const std::string failures = failed == 0 ? "" : fmt::format("; {} failed", failed);
    const std::string polls =
        served.served() == 0
            ? ""
            : fmt::format("; the gateway polled {} of {} Modbus register sets ({})",
                          served.polled(), served.served(), served.names());
    std::printf("simulate: published %zu readings in %.1f s%s; %d notifications received%s%s%s%s\n",
                delivered, std::chrono::duration<double>(SteadyClock::now() - wall_start).count(),
                polls.c_str(), total, breakdown.empty() ? "" : " (", breakdown.c_str(),
                breakdown.empty() ? "" : ")", failures.c_str());
    std::fflush(stdout);
    if (interrupted) {
        return interruption.exit_code();
    }
    return failed == 0 && record_ok && !serve_failed ? kExitOk : kExitProblems;
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SimulateOptions>();
    auto* command = app.add_subcommand(
        "simulate",
        "Publish a scenario's readings to a broker and show the notifications sent back");
    command->add_option("-c,--config", options->config, "passerelle.yaml of the territory")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--broker", options->broker,
                        "Broker URL (default: broker.url of the configuration)");
    command->add_flag("--allow-remote", options->allow_remote,
                      "Publish to a broker that is not on this machine's loopback");
    command
        ->add_option("--scenario", options->scenario,
                     "Scenario: canicule (alias heatwave, 48 h) or hiver (alias winter, ~4 days)")
        ->check(CLI::IsMember(simulate::scenario_names()))
        ->capture_default_str();
    command
        ->add_option("--start", options->start,
                     "Time of the first reading, in UTC (2026-11-25T10:00:00Z); default: the "
                     "quarter hour at or before now")
        ->check(utc_time());
    command->add_option("--speed", options->speed, "Territory seconds per wall-clock second")
        ->check(finite_number(kMinSpeed, std::numeric_limits<double>::max(),
                              fmt::format("a finite number of at least {}", kMinSpeed)))
        ->capture_default_str();
    auto* record = command->add_option("--record", options->record,
                                       "Write every published reading to this JSONL file");
    command
        ->add_flag("!--no-publish", options->publish,
                   "Only write the readings to --record, at once, without a broker")
        ->needs(record);
    command->add_flag("!--no-watch", options->watch, "Do not subscribe to notify/#");
    command
        ->add_option("--linger", options->linger_seconds,
                     "Seconds without notifications before exiting")
        ->check(finite_number(0.0, kMaxLingerSeconds,
                              fmt::format("a number of seconds from 0 to {}", kMaxLingerSeconds)))
        ->capture_default_str();
    command->add_option("--as", options->as,
                        "Connect as this broker account of the configuration (one of "
                        "broker_users, or a stakeholder with a password_file) instead of the "
                        "gateway's");
    command->callback([options, &exit_code] { exit_code = simulate(*options); });
}

}  // namespace passerelle::cli
