// SPDX-License-Identifier: Apache-2.0
// The running gateway: MQTT in, canonical readings through the rules, notifications out.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "connectors/mbus/tcp_poller.h"
#include "gateway/bus/bus.h"
#include "gateway/config/settings.h"
#include "gateway/core/clock.h"
#include "gateway/daemon/agreement_calendar.h"
#include "gateway/daemon/connector_ingress.h"
#include "gateway/daemon/disabled_actions.h"
#include "gateway/daemon/echo_filter.h"
#include "gateway/daemon/event_queue.h"
#include "gateway/daemon/outbox_resend.h"
#include "gateway/daemon/persistence.h"
#include "gateway/daemon/source_rate_limit.h"
#include "gateway/routing/router.h"
#include "gateway/storage/explain_log.h"
#include "rules/compiler/rule_set.h"
#include "rules/engine/engine.h"

namespace passerelle::daemon {

/// Counters of one run, logged at exit.
struct GatewayCounters {
    std::uint64_t messages = 0;
    std::uint64_t readings = 0;
    std::uint64_t dead_letters = 0;
    std::uint64_t alerts_fired = 0;
    std::uint64_t alerts_resolved = 0;
    std::uint64_t alerts_flapping = 0;  // flapping notices: keys gone quiet for a while
    std::uint64_t signals_published = 0;     // derived signals set by `publish` actions
    std::uint64_t explain_write_errors = 0;  // transitions the explain log could not keep
    std::uint64_t notifications = 0;
    std::uint64_t notifications_routed = 0;  // held in a route's groups rather than sent alone
    std::uint64_t acknowledgements = 0;      // received on notify/<recipient>/ack
    std::uint64_t silences = 0;              // requests received on notify/<recipient>/silence
    std::uint64_t presence_reports = 0;      // received on notify/<recipient>[/<desk>]/presence
    /// Routed notices sent to their route's fallback desk: no session in time, or refused.
    std::uint64_t notifications_fallback = 0;
    std::uint64_t notifications_delivered = 0;
    std::uint64_t notifications_dropped = 0;
    std::uint64_t notifications_rejected = 0;
    std::uint64_t device_reports = 0;      // connector messages decoded into readings
    std::uint64_t connector_readings = 0;  // readings the connectors published
    std::uint64_t unknown_devices = 0;     // messages of devices the registry does not declare
    std::uint64_t poll_failures = 0;       // wired meters that did not answer, or not readably
    std::uint64_t duplicate_uplinks = 0;   // LoRaWAN uplinks heard through several paths
    std::uint64_t rate_limited = 0;        // messages beyond their source's rate, dropped
};

/// Exit codes of `passerelle run` (docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBrokerUnreachable = 5;

class Gateway final : public bus::BusHandler {
public:
    /// `rules_fingerprint`: fingerprint_files() of the rules files, taken before `rules` were read
    /// from them, so that a change in between is not mistaken for the loaded version.
    /// `persistence`: over the store of the data directory, opened (and locked) by the caller.
    Gateway(const config::Settings& settings, std::shared_ptr<const rules::RuleSet> rules,
            std::uint64_t rules_fingerprint, const Clock& clock,
            std::unique_ptr<Persistence> persistence);

    /// Connects and serves until request_stop(); returns an exit code.
    int run();
    /// Safe from any thread, e.g. a signal-waiting one.
    void request_stop();
    /// Reads the rules files again and swaps them in if they are valid. Any thread.
    void request_reload(ReloadCause cause = ReloadCause::Signal);

    const GatewayCounters& counters() const { return counters_; }

    // bus::BusHandler, called on the bus's threads: they only queue.
    void on_message(bus::BusMessage message) override;
    void on_connected(bool session_present) override;
    void on_disconnected(std::string reason) override;
    void on_delivered(std::uint64_t id) override;
    void on_rejected(std::uint64_t id, std::string reason) override;

private:
    bus::BusOptions bus_options() const;
    std::string subscriptions_file() const;
    /// The rules' filters and the connectors'.
    std::vector<std::string> subscription_filters() const;
    void remember_subscriptions() const;
    int shut_down();
    /// Evaluates the stored history again, silently, so that the rules resume where they were.
    void restore_rule_state();
    /// Holds what the outbox had at start until the broker's copies have come back.
    void resend_unacknowledged();
    /// Queues first what the journal received in the previous run and the rules never evaluated.
    void evaluate_journal_leftovers();
    /// Sends again, with their ids, the held notifications no copy confirmed.
    void release_outbox();
    /// A copy of a notification, or the outbox marker; false for any other message.
    bool handle_own_message(const InboundMessage& message);
    /// Hands notifications the store has written (or could not) to the bus.
    void publish_ready(std::vector<ReadyNotification> ready);
    void reload(ReloadCause cause);
    void restart_bus();
    void handle(GatewayEvent& event);
    void handle_connection(const ConnectionChanged& change);
    /// Whether a decoded reading may enter the rules: not from the future, from its entity's owner.
    Status admit(const std::string& topic, const Reading& reading, Timestamp now) const;
    void report_overload();
    /// Counters as retained JSON on passerelle/<instance>/stats.
    void publish_stats();
    void handle_message(const InboundMessage& message);
    void handle_acknowledgement(const InboundMessage& message);
    void handle_silence(const InboundMessage& message);
    void handle_presence(const InboundMessage& message);
    /// Stages routed notices (and the fallback copies among them), logging each.
    void stage_routed(std::vector<routing::RoutedNotification>& routed);
    void handle_rejected(const Rejected& rejected);
    void handle_connector_message(const InboundMessage& message, const ConnectorOutcome& outcome);
    void publish_device_report(const DeviceReport& report);
    /// Starts reading the wired meters of `connectors: mbus_tcp`.
    void start_pollers();
    void handle_polled(const MeterPolled& polled);
    void handle_modbus(const ModbusPolled& polled);
    /// Logs a device's failure when it starts or changes, and its recovery; true when failing.
    bool track_failure(const std::string& source, const std::vector<Error>& errors);
    /// Counts a message beyond its source's rate; dead-letters one a minute per source.
    void report_rate_limited(const InboundMessage& message);
    /// Dead-letters the first message of an unknown device, then one an hour at most per device.
    void report_unknown_device(const InboundMessage& message, const Error& error);
    void dead_letter(const std::string& topic, const Error& error, const std::string& payload);
    void publish_signals(const rules::AlertEvent& event);
    void record_explanation(const rules::AlertEvent& event,
                            const std::vector<std::string>& recipients);
    void dispatch(std::vector<rules::AlertEvent>& events);
    /// Stages the routes' notices due before `until` (rule time), and their groups' states.
    void send_routed(Timestamp until);
    /// Before a reading of time `time` is evaluated: the notices due before it go out, with the
    /// transitions evaluated so far in their groups. The same instants as a replay or a test.
    void route_before(Timestamp time);
    /// Takes back the routes' groups from the store.
    void restore_routes();
    /// Stages the state of the groups that changed, for the next commit.
    void save_route_groups();
    /// Stages one notification unless the store shows it was queued or sent before a restart.
    void stage(store::NotificationRecord record, std::string payload, const std::string& line);
    void report_blocked(const rules::AlertEvent& event,
                        const std::vector<rules::BlockedNotification>& blocked);
    std::string status_topic() const;

    const config::Settings& settings_;
    std::shared_ptr<const rules::RuleSet> rules_;
    std::uint64_t rules_fingerprint_;  // of the last version read, loaded or refused
    const Clock& clock_;
    std::unique_ptr<rules::Engine> engine_;
    ConnectorIngress connectors_;
    EchoFilter echoes_;  // the connectors' readings on their way back from the broker
    /// When each unknown device was last reported, by its error message (which names it).
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> unknown_devices_;
    std::vector<std::unique_ptr<connectors::mbus::TcpPoller>> pollers_;
    std::unique_ptr<connectors::modbus::ModbusPoller> modbus_poller_;
    /// The wired meters whose last poll failed: a failure is logged when it starts and ends.
    std::unordered_map<std::string, std::string> failing_meters_;
    std::unique_ptr<Persistence> persistence_;
    OutboxResend resend_;
    SourceRateLimit rate_limit_;
    /// When each rate-limited source was last dead-lettered: once a minute at most.
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> limited_sources_;
    std::chrono::steady_clock::time_point resend_deadline_{};
    std::unique_ptr<storage::ExplainLog> explain_log_;  // none when explain_retention is 0
    bool explain_failing_ = false;                      // the latest write failed
    EventQueue queue_;
    std::unique_ptr<bus::Bus> bus_;
    GatewayCounters counters_;
    DisabledActions disabled_actions_;
    std::unique_ptr<routing::Router> router_;  // none when no route is configured
    AgreementCalendar agreement_calendar_{settings_.territory.agreements};
    std::atomic<std::uint64_t> journal_failures_{0};  // appended to from the bus's thread
    /// Notifications handed to the bus and not yet acknowledged: what a refusal dead-letters.
    std::map<std::uint64_t, bus::OutgoingMessage> unacknowledged_;  // in publish order
    bool ever_connected_ = false;
    bool stop_requested_ = false;  // only the engine thread reads and writes it
    std::uint64_t reported_drops_ = 0;
    std::chrono::steady_clock::time_point last_dead_letter_log_{};
    std::uint64_t suppressed_dead_letter_logs_ = 0;
    std::vector<rules::AlertEvent> events_;  // reused between messages
};

}  // namespace passerelle::daemon
