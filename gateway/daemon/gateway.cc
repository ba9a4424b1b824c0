// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/gateway.h"

#include <spdlog/spdlog.h>

#include "gateway/core/senml.h"
#include "gateway/daemon/dead_letter.h"
#include "rules/actions/notification.h"

namespace passerelle::daemon {
namespace {

constexpr std::chrono::milliseconds kTick{500};
constexpr std::chrono::milliseconds kDrainOnStop{5000};

}  // namespace

Gateway::Gateway(const config::Settings& settings, std::shared_ptr<const rules::RuleSet> rules,
                 const Clock& clock)
    : settings_(settings),
      rules_(std::move(rules)),
      clock_(clock),
      engine_(rules_, settings_.territory) {}

std::string Gateway::status_topic() const {
    return fmt::format("passerelle/{}/status", settings_.instance);
}

bus::BusOptions Gateway::bus_options() const {
    bus::BusOptions options;
    options.url = settings_.broker.url;
    options.client_id = settings_.broker.client_id;
    options.username = settings_.broker.username;
    options.password = settings_.broker.password;
    for (const auto& filter : rules_->subscriptions()) {
        options.subscriptions.emplace_back(filter, 1);
    }
    options.will = bus::BusMessage{status_topic(), "offline", 1, true};
    options.birth = bus::BusMessage{status_topic(), "online", 1, true};
    options.connect_timeout = std::chrono::seconds(10);
    return options;
}

int Gateway::run() {
    auto bus = bus::make_paho_bus(bus_options(), *this);
    if (!bus) {
        spdlog::error("broker: {}", bus.error().message);
        return kExitBrokerUnreachable;
    }
    bus_ = std::move(*bus);
    if (auto started = bus_->start(); !started) {
        spdlog::error("broker: {}", started.error().message);
        return kExitBrokerUnreachable;
    }
    spdlog::info("instance '{}': {} rules, {} subscriptions, broker {}", settings_.instance,
                 rules_->rules.size(), rules_->subscriptions().size(), settings_.broker.url);
    const auto connect_deadline = std::chrono::steady_clock::now() + settings_.broker.connect_timeout;
    auto next_tick = std::chrono::steady_clock::now() + kTick;
    while (!stop_requested_.load()) {
        auto event = queue_.pop_for(kTick);
        if (event) {
            std::visit(
                [this](auto& e) {
                    using E = std::decay_t<decltype(e)>;
                    if constexpr (std::is_same_v<E, InboundMessage>) {
                        handle_message(e);
                    } else if constexpr (std::is_same_v<E, ConnectionChanged>) {
                        if (e.connected) {
                            ever_connected_ = true;
                            spdlog::info("broker: connected (session {})",
                                         e.session_present ? "resumed" : "new");
                        } else {
                            spdlog::warn("broker: connection lost: {}; reconnecting", e.reason);
                        }
                    } else if constexpr (std::is_same_v<E, Delivered>) {
                        ++counters_.notifications_delivered;
                        unacknowledged_.erase(e.id);
                    } else if constexpr (std::is_same_v<E, Rejected>) {
                        handle_rejected(e);
                    } else if constexpr (std::is_same_v<E, ShutdownRequested>) {
                        stop_requested_ = true;
                    }
                },
                *event);
        }
        const auto steady_now = std::chrono::steady_clock::now();
        if (!ever_connected_ && steady_now > connect_deadline) {
            spdlog::error("broker: could not connect to {} within {}s", settings_.broker.url,
                          settings_.broker.connect_timeout.count());
            bus_->stop(std::chrono::milliseconds(0), std::nullopt);
            return kExitBrokerUnreachable;
        }
        if (steady_now >= next_tick) {
            // Time passes even without readings: `for` durations elapse on the wall clock too.
            engine_.advance(clock_.now(), events_);
            dispatch(events_);
            next_tick = steady_now + kTick;
        }
    }
    spdlog::info("stopping: draining {} queued notifications", bus_->stats().queued);
    bus_->stop(kDrainOnStop, bus::BusMessage{status_topic(), "offline", 1, true});
    const auto stats = bus_->stats();
    spdlog::info(
        "stopped: {} messages, {} readings, {} dead letters, {} alerts fired, {} resolved, {} "
        "notifications ({} delivered, {} dropped, {} refused), {} reconnects",
        counters_.messages, counters_.readings, counters_.dead_letters, counters_.alerts_fired,
        counters_.alerts_resolved, counters_.notifications, counters_.notifications_delivered,
        counters_.notifications_dropped, counters_.notifications_rejected, stats.reconnects);
    return kExitOk;
}

void Gateway::request_stop() { queue_.push_control(ShutdownRequested{}); }

void Gateway::on_message(bus::BusMessage message) {
    queue_.push(InboundMessage{std::move(message.topic), std::move(message.payload)});
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

void Gateway::handle_rejected(const Rejected& rejected) {
    // The broker refused the notification (an ACL, a malformed topic): re-sending would fail the
    // same way, so it goes to the dead letters where an operator can see it.
    ++counters_.notifications_rejected;
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
}

void Gateway::handle_message(const InboundMessage& message) {
    ++counters_.messages;
    SenmlLimits limits;
    limits.max_payload_bytes = settings_.max_payload_bytes;
    auto readings = decode_canonical(message.topic, message.payload, clock_.now(), limits);
    if (!readings) {
        dead_letter(message.topic, readings.error(), message.payload);
        return;
    }
    for (const Reading& reading : *readings) {
        ++counters_.readings;
        engine_.on_reading(message.topic, reading, events_);
    }
    dispatch(events_);
}

void Gateway::dead_letter(const std::string& topic, const Error& error, const std::string& payload) {
    ++counters_.dead_letters;
    spdlog::warn("dead letter from '{}': {}", topic, error.message);
    const std::string body = dead_letter_payload(topic, error.code, error.message, payload, clock_.now());
    const std::string dead_letter_topic = fmt::format("passerelle/{}/deadletter", settings_.instance);
    if (auto sent = bus_->publish({0, dead_letter_topic, body, 1, false}); !sent) {
        spdlog::error("dead letter from '{}' not published: {}", topic, sent.error().message);
    }
}

void Gateway::dispatch(std::vector<rules::AlertEvent>& events) {
    for (const auto& event : events) {
        if (event.status == rules::AlertStatus::Firing) {
            ++counters_.alerts_fired;
        } else {
            ++counters_.alerts_resolved;
        }
        std::vector<std::string> skipped;
        for (auto& notification : rules::plan_notifications(event, settings_.territory, skipped)) {
            ++counters_.notifications;
            spdlog::info("notify {} [{}] {} {} {}", notification.recipient, notification.alert_id,
                         event.rule->id, event.key, rules::to_string(event.status));
            const std::uint64_t id = next_publish_id_++;
            bus::OutgoingMessage message{id, std::move(notification.topic),
                                         std::move(notification.payload), 1, false};
            auto sent = bus_->publish(message);
            if (sent) {
                unacknowledged_.emplace(id, std::move(message));
            } else {
                ++counters_.notifications_dropped;
                spdlog::error("notification {} to {} dropped: {}", notification.alert_id,
                              notification.recipient, sent.error().message);
            }
        }
        for (const auto& recipient : skipped) {
            spdlog::warn("rule '{}': recipient '{}' is not a declared stakeholder; not notified",
                         event.rule->id, recipient);
        }
    }
    events.clear();
}

}  // namespace passerelle::daemon
