// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/gateway.h"

#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "connectors/mbus/wired_adapter.h"
#include "gateway/config/settings_loader.h"
#include "gateway/core/senml.h"
#include "gateway/core/topic.h"
#include "gateway/daemon/admission.h"
#include "gateway/daemon/dead_letter.h"
#include "gateway/daemon/notification_records.h"
#include "gateway/daemon/rules_fingerprint.h"
#include "rules/actions/notification.h"
#include "rules/actions/signal_action.h"
#include "rules/compiler/rule_compiler.h"

namespace passerelle::daemon {
namespace {

constexpr std::chrono::milliseconds kTick{500};
constexpr std::chrono::milliseconds kDrainOnStop{5000};
constexpr std::chrono::hours kHousekeepingEvery{1};
// How long the outbox waits for the broker's copies after connecting before it sends again.
constexpr std::chrono::seconds kOutboxMarkerWait{10};
// The broker keeps the gateway a copy of each notification it accepts (see OutboxResend).
constexpr const char* kOwnNotifications = "notify/#";

// The filters subscribed by the previous run, one per line: the persistent session keeps them at
// the broker until they are unsubscribed.
std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace

Gateway::Gateway(const config::Settings& settings, std::shared_ptr<const rules::RuleSet> rules,
                 std::uint64_t rules_fingerprint, const Clock& clock,
                 std::unique_ptr<Persistence> persistence)
    : settings_(settings),
      rules_(std::move(rules)),
      rules_fingerprint_(rules_fingerprint),
      clock_(clock),
      engine_(std::make_unique<rules::Engine>(rules_, settings_.territory, settings_.time_zone)),
      connectors_(settings_.connectors, settings_.territory),
      persistence_(std::move(persistence)),
      resend_(fmt::format("passerelle/{}/outbox-marker", settings_.instance)),
      rate_limit_(settings_.source_rate, settings_.source_burst) {
    if (settings_.explain_retention.count() > 0) {
        explain_log_ = std::make_unique<storage::ExplainLog>(
            std::filesystem::path(settings_.data_dir) / "explain", settings_.explain_retention);
    }
    if (!settings_.routing.routes.empty()) {
        router_ = std::make_unique<routing::Router>(settings_.routing, settings_.territory,
                                                    settings_.time_zone);
    }
}

std::string Gateway::status_topic() const {
    return fmt::format("passerelle/{}/status", settings_.instance);
}

std::string Gateway::subscriptions_file() const {
    return settings_.data_dir + "/subscriptions";
}

std::vector<std::string> Gateway::subscription_filters() const {
    auto filters = rules_->subscriptions();
    for (const std::string& own : {std::string(kOwnNotifications), resend_.marker_topic()}) {
        if (std::find(filters.begin(), filters.end(), own) == filters.end()) {
            filters.push_back(own);
        }
    }
    for (auto& filter : connectors_.subscriptions()) {
        if (std::find(filters.begin(), filters.end(), filter) == filters.end()) {
            filters.push_back(std::move(filter));
        }
    }
    return filters;
}

bus::BusOptions Gateway::bus_options() const {
    bus::BusOptions options;
    options.url = settings_.broker.url;
    options.client_id = settings_.broker.client_id;
    options.username = settings_.broker.username;
    options.password = settings_.broker.password;
    options.tls_ca_file = settings_.broker.tls.ca_file;
    options.tls_cert_file = settings_.broker.tls.cert_file;
    options.tls_key_file = settings_.broker.tls.key_file;
    const auto filters = subscription_filters();
    for (const auto& filter : filters) {
        options.subscriptions.emplace_back(filter, 1);
    }
    for (const auto& previous : read_lines(subscriptions_file())) {
        if (std::find(filters.begin(), filters.end(), previous) == filters.end() &&
            validate_topic_filter(previous)) {
            options.unsubscribe.push_back(previous);
        }
    }
    options.will = bus::BusMessage{status_topic(), "offline", 1, true};
    options.birth = bus::BusMessage{status_topic(), "online", 1, true};
    options.connect_timeout = std::chrono::seconds(10);
    return options;
}

void Gateway::remember_subscriptions() const {
    std::ofstream out(subscriptions_file(), std::ios::trunc);
    for (const auto& filter : subscription_filters()) {
        out << filter << '\n';
    }
    if (!out) {
        spdlog::warn("cannot write {}: filters removed from the rules may stay subscribed",
                     subscriptions_file());
    }
}

int Gateway::run() {
    // Before the bus: messages would pile up in the queue meanwhile.
    restore_rule_state();
    restore_routes();
    // Queued before the bus starts, so that they are evaluated before anything it receives.
    evaluate_journal_leftovers();
    auto options = bus_options();
    if (!options.unsubscribe.empty()) {
        spdlog::info("unsubscribing filters no rule uses any more: {}",
                     fmt::join(options.unsubscribe, ", "));
    }
    auto bus = bus::make_paho_bus(std::move(options), *this);
    if (!bus) {
        spdlog::error("broker: {}", bus.error().message);
        return kExitBrokerUnreachable;
    }
    bus_ = std::move(*bus);
    if (auto started = bus_->start(); !started) {
        spdlog::error("broker: {}", started.error().message);
        return kExitBrokerUnreachable;
    }
    resend_unacknowledged();
    start_pollers();
    spdlog::info("instance '{}': {} rules, {} subscriptions, broker {}", settings_.instance,
                 rules_->rules.size(), subscription_filters().size(), settings_.broker.url);
    const auto connect_deadline =
        std::chrono::steady_clock::now() + settings_.broker.connect_timeout;
    auto next_tick = std::chrono::steady_clock::now() + kTick;
    auto next_report = std::chrono::steady_clock::now() + settings_.stats_interval;
    auto next_housekeeping = std::chrono::steady_clock::now();
    while (!stop_requested_) {
        if (auto event = queue_.pop_for(kTick)) {
            handle(*event);
        }
        const auto steady_now = std::chrono::steady_clock::now();
        if (!ever_connected_ && steady_now > connect_deadline) {
            spdlog::error("broker: could not connect to {} within {}", settings_.broker.url,
                          format_duration(settings_.broker.connect_timeout));
            bus_->stop(std::chrono::milliseconds(0), std::nullopt);
            return kExitBrokerUnreachable;
        }
        // Time passes even without readings, so `for` durations elapse on the wall clock too; but
        // only when every message received so far has been evaluated, so that a backlog (after a
        // reconnect) is judged on its readings' own times, as a replay would.
        if (steady_now >= next_tick && queue_.messages_waiting() == 0) {
            engine_->advance(clock_.now(), events_);
            dispatch(events_);
            send_routed(engine_->now());
            next_tick = steady_now + kTick;
        }
        if (resend_.holding() && ever_connected_ && steady_now >= resend_deadline_) {
            spdlog::warn("outbox: the broker's copies did not end within {}s",
                         kOutboxMarkerWait.count());
            release_outbox();
        }
        if (persistence_->commit_due(steady_now)) {
            publish_ready(persistence_->commit(clock_.now()));
        }
        if (steady_now >= next_housekeeping) {
            persistence_->housekeeping(
                clock_.now(), {settings_.history_retention, settings_.dead_letter_retention,
                               settings_.downsample_after, settings_.downsample_to});
            next_housekeeping = steady_now + kHousekeepingEvery;
        }
        if (steady_now >= next_report) {
            report_overload();
            publish_stats();
            next_report = steady_now + settings_.stats_interval;
        }
    }
    return shut_down();
}

int Gateway::shut_down() {
    for (auto& poller : pollers_) {
        poller->stop();  // before the drain below, so that their last answers are published
    }
    if (modbus_poller_) {
        modbus_poller_->stop();
    }
    // Messages already received are acknowledged to the broker: evaluate them before leaving.
    std::size_t evaluated = 0;
    while (auto event = queue_.pop_for(std::chrono::milliseconds(0))) {
        if (std::holds_alternative<InboundMessage>(*event)) {
            ++evaluated;
        }
        handle(*event);
    }
    // Everything evaluated is written, and its notifications handed to the bus, before it stops.
    publish_ready(persistence_->commit(clock_.now()));
    spdlog::info("stopping: {} messages evaluated after the stop request, {} notifications queued",
                 evaluated, bus_->stats().queued);
    publish_stats();
    bus_->stop(kDrainOnStop, bus::BusMessage{status_topic(), "offline", 1, true});
    // Acknowledgements that came during the drain. Messages received now are not evaluated: the
    // journal has them for the next start.
    std::size_t unanswered = 0;
    while (auto event = queue_.pop_for(std::chrono::milliseconds(0))) {
        if (std::holds_alternative<InboundMessage>(*event)) {
            ++unanswered;
        } else if (const auto* delivered = std::get_if<Delivered>(&*event)) {
            ++counters_.notifications_delivered;
            unacknowledged_.erase(delivered->id);
            persistence_->delivered(delivered->id, clock_.now());
        }
    }
    // What waited for a failing store; a notification found now goes out at the next start.
    if (const auto late = persistence_->commit(clock_.now()); !late.empty()) {
        spdlog::warn(
            "{} notifications decided during the shutdown wait in the outbox for the "
            "next start",
            late.size());
    }
    report_overload();
    const auto stats = bus_->stats();
    spdlog::info(
        "stopped: {} messages, {} readings, {} device reports ({} readings published), {} dead "
        "letters, {} alerts fired, {} resolved, {} "
        "flapping, {} notifications ({} delivered, {} dropped, {} refused, {} unacknowledged, {} "
        "in the outbox), {} reconnects",
        counters_.messages, counters_.readings, counters_.device_reports,
        counters_.connector_readings, counters_.dead_letters, counters_.alerts_fired,
        counters_.alerts_resolved, counters_.alerts_flapping, counters_.notifications,
        counters_.notifications_delivered, counters_.notifications_dropped,
        counters_.notifications_rejected, unacknowledged_.size(), persistence_->outbox_size(),
        stats.reconnects);
    if (unanswered > 0) {
        spdlog::info(
            "{} messages arrived during the shutdown; the journal keeps them for the next "
            "start",
            unanswered);
    }
    const auto& stored = persistence_->counters();
    spdlog::info("store: {} readings written, {} not stored, {} failed writes, {} notifications "
                 "audited, {} already sent before a restart",
                 stored.readings_written, stored.readings_lost, stored.write_errors,
                 stored.audited, stored.repeats_skipped);
    return kExitOk;
}

void Gateway::handle(GatewayEvent& event) {
    std::visit(
        [this](auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, InboundMessage>) {
                handle_message(e);
                if (e.journal_sequence != 0) {
                    persistence_->evaluated(e.journal_sequence);
                }
            } else if constexpr (std::is_same_v<E, ConnectionChanged>) {
                handle_connection(e);
            } else if constexpr (std::is_same_v<E, Delivered>) {
                ++counters_.notifications_delivered;
                unacknowledged_.erase(e.id);
                persistence_->delivered(e.id, clock_.now());
            } else if constexpr (std::is_same_v<E, Rejected>) {
                handle_rejected(e);
            } else if constexpr (std::is_same_v<E, ShutdownRequested>) {
                stop_requested_ = true;
            } else if constexpr (std::is_same_v<E, ReloadRequested>) {
                reload(e.cause);
            } else if constexpr (std::is_same_v<E, MeterPolled>) {
                handle_polled(e);
            } else if constexpr (std::is_same_v<E, ModbusPolled>) {
                handle_modbus(e);
            }
        },
        event);
}

void Gateway::handle_connection(const ConnectionChanged& change) {
    if (!change.connected) {
        spdlog::warn("broker: connection lost: {}; reconnecting", change.reason);
        return;
    }
    if (!ever_connected_) {
        remember_subscriptions();
    }
    ever_connected_ = true;
    spdlog::info("broker: connected (session {})", change.session_present ? "resumed" : "new");
    if (resend_.holding()) {
        // Subscribed before this publish on the same connection: it comes back after the copies.
        resend_deadline_ = std::chrono::steady_clock::now() + kOutboxMarkerWait;
        if (auto sent = bus_->publish({0, resend_.marker_topic(), resend_.next_marker(), 1, false});
            !sent) {
            spdlog::error("outbox marker not published: {}", sent.error().message);
        }
    }
}

void Gateway::report_overload() {
    const auto dropped = queue_.dropped();
    if (dropped > reported_drops_) {
        spdlog::error("{} messages dropped: more than {} were waiting to be evaluated",
                      dropped - reported_drops_, EventQueue::kMaxMessages);
        reported_drops_ = dropped;
    }
    if (suppressed_dead_letter_logs_ > 0) {
        spdlog::warn("{} more dead letters (not logged one by one)", suppressed_dead_letter_logs_);
        suppressed_dead_letter_logs_ = 0;
    }
}

void Gateway::publish_stats() {
    // Rule time decides, as for each notification: a replayed backlog crosses the dates it holds.
    // Before the first reading there is no rule time yet.
    if (engine_->now() != Timestamp{}) {
        for (const auto& line : agreement_calendar_.update(engine_->now())) {
            spdlog::warn("{}", line);
        }
    }
    const auto bus = bus_->stats();
    const nlohmann::json stats = {
        {"ts", format_utc(clock_.now())},
        {"rule_time", format_utc(engine_->now())},
        {"messages", counters_.messages},
        {"readings", counters_.readings},
        {"dead_letters", counters_.dead_letters},
        {"late_readings", engine_->late_readings()},
        {"dropped_messages", queue_.dropped()},
        {"backlog", queue_.messages_waiting()},
        {"alerts_pending", engine_->pending_count()},
        {"alerts_firing", engine_->firing_count()},
        {"alerts_fired", counters_.alerts_fired},
        {"alerts_resolved", counters_.alerts_resolved},
        {"alerts_flapping", counters_.alerts_flapping},
        {"signals_published", counters_.signals_published},
        {"explain_write_errors", counters_.explain_write_errors},
        {"notifications", counters_.notifications},
        {"notifications_routed", counters_.notifications_routed},
        {"route_groups", router_ ? router_->group_count() : 0},
        {"acknowledgements", counters_.acknowledgements},
        {"silences", router_ ? router_->silences().size() : 0},
        {"presence_reports", counters_.presence_reports},
        {"notices_waiting_for_desk", router_ ? router_->undelivered_count() : 0},
        {"notifications_fallback", counters_.notifications_fallback},
        {"notifications_delivered", counters_.notifications_delivered},
        {"notifications_dropped", counters_.notifications_dropped},
        {"notifications_refused", counters_.notifications_rejected},
        {"notifications_without_agreement", disabled_actions_.blocked_total()},
        {"disabled_actions", disabled_actions_.to_json()},
        {"agreements", agreement_calendar_.to_json()},
        {"device_reports", counters_.device_reports},
        {"connector_readings", counters_.connector_readings},
        {"unknown_devices", counters_.unknown_devices},
        {"poll_failures", counters_.poll_failures},
        {"duplicate_uplinks", counters_.duplicate_uplinks},
        {"rate_limited", counters_.rate_limited},
        {"store_failing", persistence_->failing()},
        {"store_write_errors", persistence_->counters().write_errors},
        {"journal_failures", journal_failures_.load()},
        {"readings_stored", persistence_->counters().readings_written},
        {"readings_not_stored", persistence_->counters().readings_lost},
        {"outbox", persistence_->outbox_size()},
        {"outbox_overflow", persistence_->counters().outbox_overflow},
        {"notifications_already_sent", persistence_->counters().repeats_skipped},
        {"bus_queued", bus.queued},
        {"bus_inflight", bus.inflight},
        {"reconnects", bus.reconnects},
    };
    // Retained: whoever looks at the gateway sees its latest figures at once.
    if (auto sent = bus_->publish({0, fmt::format("passerelle/{}/stats", settings_.instance),
                                   stats.dump(), 0, true});
        !sent) {
        spdlog::warn("statistics not published: {}", sent.error().message);
    }
}

void Gateway::request_stop() { queue_.push_control(ShutdownRequested{}); }

void Gateway::request_reload(ReloadCause cause) {
    queue_.push_control(ReloadRequested{cause});
}

void Gateway::reload(ReloadCause cause) {
    // The rules files are read again (new files matching the configuration's globs included); an
    // invalid version is refused with its errors and the running rules stay. Stakeholders and
    // entities are read at start only.
    Diagnostics diagnostics;
    auto fresh = config::load_settings(settings_.config_path, diagnostics);
    // Unknown when the configuration cannot be read: whatever comes next differs from it.
    const std::uint64_t fingerprint = fresh ? fingerprint_files(fresh->rule_files) : 0;
    if (cause == ReloadCause::FilesChanged) {
        // A save without changes, or the same invalid version touched again: nothing to say.
        if (fresh && fingerprint == rules_fingerprint_) {
            spdlog::debug("rules files touched on disk but unchanged: not reloaded");
            return;
        }
        spdlog::info("rules changed on disk: reloading");
    }
    rules_fingerprint_ = fingerprint;
    std::shared_ptr<const rules::RuleSet> rules;
    if (fresh) {
        rules::CompileOptions options;
        // An agreement that ended disables its actions; it does not stop the other rules.
        options.expired_agreements_are_errors = false;
        rules = rules::load_and_compile_rules(fresh->rule_files, settings_.territory, diagnostics,
                                              options);
    }
    if (!diagnostics.all().empty()) {
        spdlog::log(rules ? spdlog::level::warn : spdlog::level::err, "reload:\n{}",
                    format_diagnostics(diagnostics));
    }
    if (!rules) {
        spdlog::error("reload refused: {} error(s); the running rules stay",
                      diagnostics.error_count());
        return;
    }
    auto engine = std::make_unique<rules::Engine>(rules, settings_.territory, settings_.time_zone);
    const auto adoption = engine->adopt(*engine_);
    const bool subscriptions_changed = rules->subscriptions() != rules_->subscriptions();
    rules_ = std::move(rules);
    engine_ = std::move(engine);
    spdlog::info("reload: {} rules, {} unchanged kept {} pending or firing alerts", rules_->rules.size(),
                 adoption.rules_kept, adoption.alerts_kept);
    if (adoption.firing_dropped > 0) {
        spdlog::warn("reload: {} firing alerts belonged to rules removed or changed; they will "
                     "not be resolved",
                     adoption.firing_dropped);
    }
    if (subscriptions_changed) {
        restart_bus();
    }
}

void Gateway::restart_bus() {
    // A new connection with the new filters: the persistent session keeps what is published
    // meanwhile, and the filters no rule uses any more are unsubscribed.
    bus_->stop(kDrainOnStop, std::nullopt);
    while (auto event = queue_.pop_for(std::chrono::milliseconds(0))) {
        handle(*event);
    }
    auto options = bus_options();
    remember_subscriptions();
    auto bus = bus::make_paho_bus(std::move(options), *this);
    if (!bus) {
        spdlog::error("reload: {}; stopping", bus.error().message);
        stop_requested_ = true;
        return;
    }
    bus_ = std::move(*bus);
    if (auto started = bus_->start(); !started) {
        spdlog::error("reload: {}; stopping", started.error().message);
        stop_requested_ = true;
        return;
    }
    // Notifications the old connection had not seen acknowledged go out again, with their ids.
    for (auto& [id, message] : unacknowledged_) {
        if (auto sent = bus_->publish(message); !sent) {
            spdlog::error("notification to '{}' dropped on reload: {}", message.topic,
                          sent.error().message);
        }
    }
    spdlog::info("reload: subscribed to {}", fmt::join(subscription_filters(), ", "));
}

void Gateway::on_message(bus::BusMessage message) {
    // Paho has acknowledged it to the broker already: until what it caused is written, the
    // journal holds the only copy. That includes the copies of the gateway's own notifications,
    // which tell a restarted gateway what reached the broker.
    std::uint64_t sequence = 0;
    if (auto appended = persistence_->journal().append(message.topic, message.payload)) {
        sequence = *appended;
    } else if (journal_failures_.fetch_add(1) == 0) {
        spdlog::error(
            "{}; a crash now would lose messages received and not yet evaluated "
            "(journal_failures counts them)",
            appended.error().message);
    }
    queue_.push(InboundMessage{std::move(message.topic), std::move(message.payload), sequence});
}

void Gateway::on_connected(bool session_present) {
    queue_.push_control(ConnectionChanged{true, session_present, {}});
}

void Gateway::on_disconnected(std::string reason) {
    queue_.push_control(ConnectionChanged{false, false, std::move(reason)});
}

void Gateway::on_delivered(std::uint64_t id) { queue_.push_control(Delivered{id}); }

void Gateway::on_rejected(std::uint64_t id, std::string reason) {
    queue_.push_control(Rejected{id, std::move(reason)});
}

Status Gateway::admit(const std::string& topic, const Reading& reading, Timestamp now) const {
    if (reading.time < now - settings_.max_clock_behind) {
        return make_error("reading.too-old",
                          fmt::format("reading time {} is more than {} behind the gateway's clock "
                                      "({}); check the sensor's clock",
                                      format_utc(reading.time),
                                      format_duration(settings_.max_clock_behind), format_utc(now)));
    }
    if (reading.time > now + settings_.max_clock_ahead) {
        return make_error("reading.from-the-future",
                          fmt::format("reading time {} is more than {} ahead of the gateway's clock "
                                      "({}); check the sensor's clock",
                                      format_utc(reading.time),
                                      format_duration(settings_.max_clock_ahead), format_utc(now)));
    }
    return admit_reading(topic, reading, settings_.territory);
}

bool Gateway::handle_own_message(const InboundMessage& message) {
    if (routing::acknowledgement_recipient(message.topic)) {
        handle_acknowledgement(message);
        return true;
    }
    if (routing::silence_recipient(message.topic)) {
        handle_silence(message);
        return true;
    }
    if (routing::is_presence_topic(message.topic)) {
        handle_presence(message);
        return true;
    }
    if (message.topic.starts_with("notify/")) {
        if (const auto id = resend_.confirm(message.topic, message.payload)) {
            ++counters_.notifications_delivered;
            persistence_->delivered(*id, clock_.now());
        }
        return true;
    }
    if (message.topic == resend_.marker_topic()) {
        if (resend_.holding() && resend_.is_marker(message.topic, message.payload)) {
            release_outbox();
        }
        return true;
    }
    return false;
}

// A desk's client says whether it is connected: what routes with a fallback wait for.
void Gateway::handle_presence(const InboundMessage& message) {
    ++counters_.presence_reports;
    auto report = routing::parse_presence(message.topic, message.payload);
    if (!report) {
        dead_letter(message.topic, report.error(), message.payload);
        return;
    }
    if (!router_) {
        return;  // nothing routed waits for a desk: presence is for routes with a fallback
    }
    spdlog::info("presence {}: {}", report->receiver(), report->online ? "online" : "offline");
    router_->presence(*report, engine_->now());
    save_route_groups();
}

// A recipient takes charge of a routed notice: its reminders and escalation stop, its desk is
// told who, and the audit log keeps the acknowledgement. One that cannot be applied is a dead
// letter with the reason, which the recipient's operator can read.
void Gateway::handle_acknowledgement(const InboundMessage& message) {
    ++counters_.acknowledgements;
    if (!router_) {
        dead_letter(message.topic,
                    make_error("ack.no-route",
                               "no route is configured: only routed notices are acknowledged"),
                    message.payload);
        return;
    }
    auto ack = routing::parse_acknowledgement(message.topic, message.payload);
    if (!ack) {
        dead_letter(message.topic, ack.error(), message.payload);
        return;
    }
    const Timestamp now = engine_->now();
    auto taken = router_->acknowledge(*ack, now);
    if (!taken) {
        dead_letter(message.topic, taken.error(), message.payload);
        return;
    }
    spdlog::info("ack {} [{}] {} {} by {}{}{}", ack->recipient, taken->id, taken->rule,
                 taken->group_key, ack->by, ack->comment.empty() ? "" : ": ", ack->comment);
    persistence_->audit_received(store::NotificationRecord{ack->recipient,
                                                           taken->rule,
                                                           taken->id,
                                                           fmt::format("ack {}", format_utc(now)),
                                                           {ack->recipient},
                                                           message.topic,
                                                           {}},
                                 message.payload, clock_.now());
    save_route_groups();
}

// A recipient silences some of its routed alerts for a while, or ends a silence early. The
// audit log keeps both; one that cannot be applied is a dead letter with the reason.
void Gateway::handle_silence(const InboundMessage& message) {
    ++counters_.silences;
    if (!router_) {
        dead_letter(message.topic,
                    make_error("silence.no-route",
                               "no route is configured: only routed notices can be silenced"),
                    message.payload);
        return;
    }
    // Rule time, as the alerts it silences; the wall clock before the first reading.
    const Timestamp now = engine_->now() == Timestamp{} ? clock_.now() : engine_->now();
    auto request = routing::parse_silence_request(message.topic, message.payload, now);
    if (!request) {
        dead_letter(message.topic, request.error(), message.payload);
        return;
    }
    const std::string recipient = *routing::silence_recipient(message.topic);
    std::string id;
    std::string notice;
    if (request->add) {
        const routing::Silence& silence = *request->add;
        id = silence.id;
        notice = fmt::format("silence until {}", format_utc(silence.ends));
        spdlog::info("silence {} [{}] {} until {} by {}: {}", recipient, silence.id,
                     nlohmann::json(silence.matchers).dump(), format_utc(silence.ends),
                     silence.author, silence.reason);
        router_->add_silence(*request->add);
    } else {
        auto expired = router_->expire_silence(recipient, request->expire, now);
        if (!expired) {
            dead_letter(message.topic, expired.error(), message.payload);
            return;
        }
        id = expired->id;
        notice = fmt::format("silence expired {}", format_utc(now));
        spdlog::info("silence {} [{}] expired by {}", recipient, id, request->author);
    }
    persistence_->audit_received(
        store::NotificationRecord{recipient, "silence", id, notice, {recipient}, message.topic, {}},
        message.payload, clock_.now());
    save_route_groups();
}

void Gateway::handle_message(const InboundMessage& message) {
    if (handle_own_message(message)) {
        return;
    }
    ++counters_.messages;
    if (!rate_limit_.admit(message.topic, std::chrono::steady_clock::now())) {
        report_rate_limited(message);
        return;
    }
    SenmlLimits limits;
    limits.max_payload_bytes = settings_.max_payload_bytes;
    const Timestamp now = clock_.now();
    if (message.payload.size() > settings_.max_payload_bytes) {
        dead_letter(message.topic,
                    make_error("payload.too-large",
                               fmt::format("payload of {} bytes exceeds the limit of {}",
                                           message.payload.size(), settings_.max_payload_bytes)),
                    message.payload);
        return;
    }
    if (echoes_.take(message.topic, message.payload, std::chrono::steady_clock::now())) {
        return;  // a connector's reading coming back: evaluated when it was decoded
    }
    if (auto adapted = connectors_.adapt(message.topic, message.payload, now)) {
        handle_connector_message(message, *adapted);
        return;
    }
    auto readings = decode_canonical(message.topic, message.payload, now, limits);
    if (!readings) {
        dead_letter(message.topic, readings.error(), message.payload);
        return;
    }
    for (const Reading& reading : *readings) {
        if (auto admitted = admit(message.topic, reading, now); !admitted) {
            dead_letter(message.topic, admitted.error(), message.payload);
            continue;
        }
        ++counters_.readings;
        route_before(reading.time);
        engine_->on_reading(message.topic, reading, events_);
        persistence_->add_reading(message.topic, reading);
    }
    dispatch(events_);
}

void Gateway::handle_connector_message(const InboundMessage& message,
                                       const ConnectorOutcome& outcome) {
    for (const Error& error : outcome.errors) {
        if (error.code == "meter.unknown" || error.code == "device.unknown") {
            report_unknown_device(message, error);
        } else {
            dead_letter(message.topic, error, message.payload);
        }
    }
    if (outcome.duplicate) {
        ++counters_.duplicate_uplinks;  // already published from its first copy
    }
    for (const DeviceReport& report : outcome.reports) {
        publish_device_report(report);
    }
}

void Gateway::publish_device_report(const DeviceReport& report) {
    ++counters_.device_reports;
    const Timestamp now = clock_.now();
    const auto steady_now = std::chrono::steady_clock::now();
    for (const Reading& reading : report.readings) {
        const std::string topic = canonical_topic(reading);
        std::string payload = encode_senml(reading);
        if (auto admitted = admit(topic, reading, now); !admitted) {
            dead_letter(topic, admitted.error(), payload);
            continue;
        }
        // The rules see the reading now, in the order the field sent it (as a replay of the
        // recorded readings does); the broker carries it to every party entitled to it, and the
        // copy coming back to the gateway is recognised and skipped. QoS 0: a field message gives
        // several readings, and at QoS 1 they would hold the notifications back in the bus's
        // window of unacknowledged publishes; the rules have them already.
        ++counters_.connector_readings;
        ++counters_.readings;
        route_before(reading.time);
        engine_->on_reading(topic, reading, events_);
        persistence_->add_reading(topic, reading);
        if (auto sent = bus_->publish({0, topic, payload, 0, false}); sent) {
            echoes_.expect(topic, payload, steady_now);
        } else {
            spdlog::error("reading {} of {} not published: {}", reading.quantity, report.entity,
                          sent.error().message);
        }
    }
    dispatch(events_);
    // Retained: the device's owner sees its last message's identity whenever it looks.
    if (auto sent = bus_->publish({0, device_topic(report), encode_device_report(report), 0, true});
        !sent) {
        spdlog::warn("device report of {} not published: {}", report.entity, sent.error().message);
    }
}

void Gateway::start_pollers() {
    for (const config::MbusTcpSettings& endpoint : settings_.connectors.mbus_tcp) {
        std::vector<connectors::mbus::PollTarget> targets;
        for (const std::uint8_t address : endpoint.addresses) {
            targets.push_back({fmt::format("mbus://{}:{}/{}", endpoint.host, endpoint.port, address),
                               endpoint.host, endpoint.port, address,
                               std::chrono::duration_cast<std::chrono::milliseconds>(endpoint.interval)});
        }
        connectors::mbus::MasterSettings master;
        master.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(endpoint.timeout);
        master.attempts = endpoint.attempts;
        // The poller's thread only queues: the engine thread maps and publishes.
        auto poller = std::make_unique<connectors::mbus::TcpPoller>(
            std::move(targets), master, clock_,
            [this](const connectors::mbus::PollTarget& target,
                   Result<std::vector<connectors::mbus::DecodedTelegram>> answer, Timestamp when) {
                queue_.push(MeterPolled{target.entity, std::move(answer), when});
            });
        poller->start();
        spdlog::info("mbus_tcp: reading {} meters at {}:{} every {}", endpoint.addresses.size(),
                     endpoint.host, endpoint.port, format_duration(endpoint.interval));
        pollers_.push_back(std::move(poller));
    }
    if (!settings_.connectors.modbus_devices.empty()) {
        modbus_poller_ = std::make_unique<connectors::modbus::ModbusPoller>(
            settings_.connectors.modbus_devices, clock_,
            [this](const connectors::modbus::Device& device,
                   const connectors::modbus::PollReport& report, Timestamp when) {
                queue_.push(ModbusPolled{device.name,
                                         fmt::format("modbus://{}:{}/{}", device.host, device.port,
                                                     device.unit_id),
                                         report, when});
            },
            // A device's clock is trusted as far as a sensor's readings are: a reading further
            // ahead would be refused anyway.
            settings_.max_clock_ahead);
        modbus_poller_->start();
        spdlog::info("modbus: reading {} devices", settings_.connectors.modbus_devices.size());
    }
}

bool Gateway::track_failure(const std::string& source, const std::vector<Error>& errors) {
    if (errors.empty()) {
        if (failing_meters_.erase(source) > 0) {
            spdlog::info("{}: answers again", source);
        }
        return false;
    }
    ++counters_.poll_failures;
    std::string text;
    for (const Error& error : errors) {
        text += (text.empty() ? "" : "; ") + error.message;
    }
    // A device that stays silent is said once, and again when it answers.
    auto [it, first] = failing_meters_.try_emplace(source, text);
    if (first || it->second != text) {
        it->second = text;
        spdlog::warn("{}: {}", source, text);
    }
    return true;
}

void Gateway::handle_polled(const MeterPolled& polled) {
    ++counters_.messages;
    Result<DeviceReport> report =
        polled.answer ? connectors::mbus::wired_report(settings_.territory, *polled.answer,
                                                       polled.source, polled.when)
                      : Result<DeviceReport>(polled.answer.error());
    if (!report && report.error().code == "meter.unknown") {
        report_unknown_device(InboundMessage{polled.source, {}}, report.error());
        return;
    }
    if (track_failure(polled.source, report ? std::vector<Error>{} : std::vector{report.error()})) {
        return;
    }
    publish_device_report(*report);
}

void Gateway::handle_modbus(const ModbusPolled& polled) {
    ++counters_.messages;
    // Points read are published even when others failed: a failed block does not hide the rest.
    track_failure(polled.source, polled.report.errors);
    const Entity* entity = settings_.territory.entities.find(polled.entity);
    if (entity == nullptr || polled.report.readings.empty()) {
        return;  // the loader checked the entity; nothing read, nothing to say
    }
    DeviceReport report;
    report.provider = entity->provider;
    report.entity = entity->id;
    report.protocol = "modbus";
    report.id = polled.source.substr(std::string_view("modbus://").size());
    report.source = polled.source;
    report.time = polled.when;
    for (const auto& point : polled.report.readings) {
        report.readings.push_back(
            Reading{report.provider, report.entity, point.quantity, point.value, point.unit,
                    polled.when});
    }
    publish_device_report(report);
}

void Gateway::report_rate_limited(const InboundMessage& message) {
    ++counters_.rate_limited;
    constexpr std::chrono::minutes kReportEvery{1};
    const std::string source(SourceRateLimit::source_of(message.topic));
    const auto now = std::chrono::steady_clock::now();
    if (limited_sources_.size() >= 10'000 && !limited_sources_.contains(source)) {
        limited_sources_.clear();
    }
    const auto [it, first] = limited_sources_.try_emplace(source, now);
    if (!first && now - it->second < kReportEvery) {
        return;
    }
    it->second = now;
    dead_letter(message.topic,
                make_error("source.rate-limited",
                           fmt::format("'{}' sends more than {} messages a second (burst {}); the "
                                       "excess is dropped, counted as rate_limited, and reported "
                                       "here once a minute",
                                       source, settings_.source_rate, settings_.source_burst)),
                message.payload);
}

void Gateway::report_unknown_device(const InboundMessage& message, const Error& error) {
    // A receiver hears the neighbours' meters every few seconds: each is reported when first
    // heard, then once an hour, and counted in the statistics in between.
    constexpr std::chrono::hours kReportEvery{1};
    constexpr std::size_t kMaxRemembered = 10'000;  // hostile ids must not grow memory forever
    ++counters_.unknown_devices;
    const auto now = std::chrono::steady_clock::now();
    if (unknown_devices_.size() >= kMaxRemembered && !unknown_devices_.contains(error.message)) {
        unknown_devices_.clear();
    }
    const auto [it, first] = unknown_devices_.try_emplace(error.message, now);
    if (!first && now - it->second < kReportEvery) {
        return;
    }
    it->second = now;
    Error reported = error;
    reported.message += "; reported again in an hour at most, counted as unknown_devices";
    dead_letter(message.topic, reported, message.payload);
}

void Gateway::handle_rejected(const Rejected& rejected) {
    // The broker refused the notification (an ACL, a malformed topic): re-sending would fail the
    // same way, so it goes to the dead letters where an operator can see it.
    ++counters_.notifications_rejected;
    auto record = persistence_->refused(rejected.id);
    const auto it = unacknowledged_.find(rejected.id);
    if (it == unacknowledged_.end()) {
        spdlog::error("broker refused message {}: {}", rejected.id, rejected.reason);
        return;
    }
    const bus::OutgoingMessage message = std::move(it->second);
    unacknowledged_.erase(it);
    dead_letter(message.topic,
                make_error("notify.refused", fmt::format("the broker refused the notification: {}",
                                                         rejected.reason)),
                message.payload);
    if (!router_ || !record) {
        return;
    }
    // A routed notice its desk will never get: the route's fallback desk gets it now.
    if (auto fallback = router_->refused(message.payload, std::move(record->agreements),
                                         std::move(record->providers), engine_->now())) {
        std::vector<routing::RoutedNotification> routed{std::move(*fallback)};
        stage_routed(routed);
        if (persistence_->has_staged()) {
            publish_ready(persistence_->commit(clock_.now()));
        }
    }
}

void Gateway::dead_letter(const std::string& topic, const Error& error, const std::string& payload) {
    ++counters_.dead_letters;
    // One line a second at most: a misbehaving device must not flood the log.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_dead_letter_log_ >= std::chrono::seconds(1)) {
        spdlog::warn("dead letter from '{}': {}", topic, error.message);
        last_dead_letter_log_ = now;
    } else {
        ++suppressed_dead_letter_logs_;
    }
    persistence_->add_dead_letter({clock_.now(), topic, error.code, error.message, payload});
    const std::string body =
        dead_letter_payload(topic, error.code, error.message, payload, clock_.now());
    const std::string dead_letter_topic =
        fmt::format("passerelle/{}/deadletter", settings_.instance);
    // QoS 0: dead letters are for people watching; they must not take the notifications' window.
    if (auto sent = bus_->publish({0, dead_letter_topic, body, 0, false}); !sent) {
        spdlog::error("dead letter from '{}' not published: {}", topic, sent.error().message);
    }
}

void Gateway::publish_signals(const rules::AlertEvent& event) {
    std::vector<rules::BlockedNotification> blocked;
    const auto signals = rules::plan_signals(event, &settings_.territory, &blocked);
    report_blocked(event, blocked);
    for (const auto& signal : signals) {
        ++counters_.signals_published;
        spdlog::info("signal {} = {} [{}] {} {}", signal.topic, format_value(signal.reading.value),
                     event.alert_id, event.rule->id, event.key);
        // Retained: a rule or a party subscribing later learns where things stand at once.
        // Untracked (id 0): the delivery counters are the notifications'.
        if (auto sent = bus_->publish({0, signal.topic, encode_senml(signal.reading), 1, true});
            !sent) {
            spdlog::error("signal {} dropped: {}", signal.topic, sent.error().message);
        }
    }
}

void Gateway::record_explanation(const rules::AlertEvent& event,
                                 const std::vector<std::string>& recipients) {
    if (!explain_log_) {
        return;
    }
    auto written = explain_log_->append(storage::explain_record(event, recipients), clock_.now());
    // The notification matters more than its explanation: counted and logged, never fatal.
    if (!written) {
        ++counters_.explain_write_errors;
        if (!explain_failing_) {
            spdlog::error("explain log: {}; explanations are lost until it can write again",
                          written.error().message);
            explain_failing_ = true;
        }
    } else if (explain_failing_) {
        spdlog::info("explain log: writing again");
        explain_failing_ = false;
    }
}

void Gateway::dispatch(std::vector<rules::AlertEvent>& events) {
    for (const auto& event : events) {
        switch (event.status) {
            case rules::AlertStatus::Firing:
                ++counters_.alerts_fired;
                break;
            case rules::AlertStatus::Resolved:
                ++counters_.alerts_resolved;
                break;
            case rules::AlertStatus::Flapping:
                ++counters_.alerts_flapping;
                break;
        }
        if (router_) {
            router_->observe(event);
        }
        std::vector<std::string> skipped;
        std::vector<std::string> recipients;
        std::vector<rules::BlockedNotification> blocked;
        auto notifications =
            rules::plan_notifications(event, settings_.territory, skipped, &blocked);
        report_blocked(event, blocked);
        auto records = notification_records(event, notifications);
        for (std::size_t i = 0; i < notifications.size(); ++i) {
            const auto& notification = notifications[i];
            recipients.push_back(notification.recipient);
            if (disabled_actions_.sent(event.rule->id, notification.action,
                                       notification.recipient)) {
                spdlog::info("rule '{}': action {} notifies {} again, under the agreements {}",
                             event.rule->id, notification.action + 1, notification.recipient,
                             fmt::join(notification.agreements, ", "));
            }
            if (const auto* route = router_ ? router_->route_of(event, notification) : nullptr) {
                ++counters_.notifications_routed;
                router_->accept(*route, event, notification);
                continue;
            }
            stage(std::move(records[i]), std::move(notifications[i].payload),
                  fmt::format("notify {} [{}] {} {} {}", notification.recipient,
                              notification.alert_id, event.rule->id, event.key,
                              rules::to_string(event.status)));
        }
        for (const auto& recipient : skipped) {
            spdlog::warn("rule '{}': recipient '{}' is not a declared stakeholder; not notified",
                         event.rule->id, recipient);
        }
        publish_signals(event);
        record_explanation(event, recipients);
    }
    events.clear();
    if (router_) {
        save_route_groups();
    }
    if (persistence_->has_staged()) {
        publish_ready(persistence_->commit(clock_.now()));
    }
}

void Gateway::route_before(Timestamp time) {
    const auto due = router_ ? router_->next_due() : std::nullopt;
    if (!due || *due >= time) {
        return;
    }
    dispatch(events_);  // the transitions so far join their groups first
    send_routed(time);
}

void Gateway::stage(store::NotificationRecord record, std::string payload,
                    const std::string& line) {
    // After a restart the rules decide again what they had decided before it.
    if (!persistence_->is_new(record)) {
        spdlog::debug("{}: already sent", line);
        return;
    }
    ++counters_.notifications;
    spdlog::info("{}", line);
    persistence_->stage(std::move(record), std::move(payload));
}

// The groups the routes held when the previous run stopped: the alerts waiting in them are
// sent when they fall due, and a notice already sent is not sent again.
void Gateway::restore_routes() {
    if (!router_) {
        return;
    }
    auto kept = persistence_->route_groups();
    if (!kept) {
        spdlog::error("store: {}; the routes start without the groups they held",
                      kept.error().message);
        return;
    }
    std::size_t restored = 0;
    for (const auto& [key, state] : *kept) {
        std::string problem;
        if (router_->restore_group(key, state, problem)) {
            ++restored;
        } else {
            spdlog::warn("routes: group '{}' of the previous run dropped: {}", key, problem);
            persistence_->stage_route_group(key, std::nullopt);
        }
    }
    router_->take_changed_groups();
    if (restored > 0) {
        spdlog::info("routes: {} groups of the previous run resumed", restored);
    }
}

void Gateway::save_route_groups() {
    for (const auto& key : router_->take_changed_groups()) {
        persistence_->stage_route_group(key, router_->group_state(key));
    }
}

void Gateway::send_routed(Timestamp until) {
    if (router_) {
        std::vector<routing::RoutedNotification> routed;
        router_->flush_before(until, routed);
        stage_routed(routed);
        save_route_groups();
    }
    if (persistence_->has_staged()) {
        publish_ready(persistence_->commit(clock_.now()));
    }
}

void Gateway::stage_routed(std::vector<routing::RoutedNotification>& routed) {
    for (auto& notice : routed) {
        std::string line = fmt::format(
            "notify {} [{}] {} {} {}: {} alerts{}", notice.receiver, notice.id, notice.rule,
            notice.group_key, rules::to_string(notice.status), notice.alert_keys.size(),
            notice.escalation_step > 0
                ? fmt::format(", unacknowledged: escalation step {}", notice.escalation_step)
                : std::string());
        if (!notice.fallback_for.empty()) {
            ++counters_.notifications_fallback;
            line +=
                fmt::format(", fallback for {} ({})", notice.fallback_for, notice.fallback_reason);
            spdlog::warn("{} did not get the notice of {} {} [{}] ({}): sent to the fallback {}",
                         notice.fallback_for, notice.rule, notice.group_key, notice.id,
                         notice.fallback_reason, notice.receiver);
        }
        stage(store::NotificationRecord{notice.recipient, notice.rule, notice.id, notice.notice,
                                        std::move(notice.providers), std::move(notice.topic),
                                        std::move(notice.agreements)},
              std::move(notice.payload), line);
    }
}

// A notification the sharing agreements stop is said once per action and recipient, then
// counted; the statistics list the actions stopped.
void Gateway::report_blocked(const rules::AlertEvent& event,
                             const std::vector<rules::BlockedNotification>& blocked) {
    for (const auto& refused : blocked) {
        if (disabled_actions_.stopped(event.rule->id, refused, event.time)) {
            spdlog::warn(
                "rule '{}': action {} no longer reaches {}: it would carry {}, and {}; "
                "the action stays disabled for {} until an agreement covers it",
                event.rule->id, refused.action + 1, refused.recipient, describe(refused.flow),
                refusal_reason(refused.check), refused.recipient);
        } else {
            spdlog::debug("rule '{}' [{}]: not notified to {} (no current agreement)",
                          event.rule->id, event.alert_id, refused.recipient);
        }
    }
}

void Gateway::publish_ready(std::vector<ReadyNotification> ready) {
    for (auto& notification : ready) {
        bus::OutgoingMessage message{notification.id, std::move(notification.what.topic),
                                     std::move(notification.payload), 1, false};
        if (auto sent = bus_->publish(message); sent) {
            unacknowledged_.emplace(notification.id, std::move(message));
        } else {
            // Its outbox row stays: the next start sends it again.
            ++counters_.notifications_dropped;
            spdlog::error("notification {} to {} dropped: {}", notification.what.alert_id,
                          notification.what.recipient, sent.error().message);
        }
    }
}

void Gateway::restore_rule_state() {
    const auto started = std::chrono::steady_clock::now();
    const Timestamp since = clock_.now() - settings_.restore_window;
    std::uint64_t readings = 0;
    // The transitions found are those of the past: what was notified of them is in the outbox
    // and the audit log already.
    auto replayed = persistence_->replay(since, [&](const store::ReadingHistory::Entry& entry) {
        engine_->on_reading(entry.topic, entry.reading, events_);
        events_.clear();
        ++readings;
    });
    if (!replayed) {
        spdlog::error("store: {}; the rules start without their past state",
                      replayed.error().message);
        return;
    }
    if (readings > 0) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        spdlog::info(
            "rules: resumed from {} stored readings since {} in {} ms: {} alerts firing, "
            "{} pending",
            readings, format_utc(since), elapsed.count(), engine_->firing_count(),
            engine_->pending_count());
    }
}

void Gateway::evaluate_journal_leftovers() {
    auto recovery = persistence_->store().take_journal_recovery();
    if (recovery.damaged_bytes > 0) {
        spdlog::warn("journal: {} bytes at the end of a segment were damaged and are ignored",
                     recovery.damaged_bytes);
    }
    if (recovery.unevaluated.empty()) {
        return;
    }
    spdlog::info(
        "journal: {} messages received before the previous run stopped had not been "
        "evaluated; they are, before any new one",
        recovery.unevaluated.size());
    for (auto& entry : recovery.unevaluated) {
        queue_.push(
            InboundMessage{std::move(entry.topic), std::move(entry.payload), entry.sequence});
    }
}

void Gateway::resend_unacknowledged() {
    auto unacknowledged = persistence_->unacknowledged();
    if (!unacknowledged) {
        spdlog::error("store: {}; notifications left in the outbox are not sent again",
                      unacknowledged.error().message);
        return;
    }
    if (!unacknowledged->empty()) {
        spdlog::info("outbox: {} notifications of the previous run were never acknowledged; "
                     "waiting for the broker's copies before sending the others again",
                     unacknowledged->size());
        resend_.hold(std::move(*unacknowledged));
    }
}

void Gateway::release_outbox() {
    auto rest = resend_.release();
    spdlog::info("outbox: {} notifications had reached the broker, {} sent again with their ids",
                 resend_.confirmed(), rest.size());
    counters_.notifications += rest.size();
    publish_ready(std::move(rest));
}

}  // namespace passerelle::daemon
