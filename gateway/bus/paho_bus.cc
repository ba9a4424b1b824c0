// SPDX-License-Identifier: Apache-2.0
// PahoBus: MQTT 5 persistent session, own reconnect loop, publisher thread and publish window.
// MQTT-NOTES.md explains each choice.
#include "gateway/bus/paho_bus.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include "gateway/bus/backoff.h"
#include "gateway/bus/broker_url.h"
#include "gateway/bus/bus.h"
#include "gateway/bus/publish_window.h"
#include "gateway/core/topic.h"

namespace passerelle::bus {

bool is_protocol_version_refusal(int return_code, int reason_code) {
    // MQTT 3.1.1 CONNACK return code 1 is "unacceptable protocol version"; an MQTT 5 broker says
    // 0x84. Paho reports a 3.1.1-style answer to a v5 CONNECT in either field depending on the
    // path.
    constexpr int kV311UnacceptableProtocol = 1;
    return return_code == kV311UnacceptableProtocol || reason_code == kV311UnacceptableProtocol ||
           reason_code == MQTTREASONCODE_UNSUPPORTED_PROTOCOL_VERSION;
}

bool is_permanent_publish_error(int return_code) {
    switch (return_code) {
        case MQTTASYNC_BAD_UTF8_STRING:
        case MQTTASYNC_NULL_PARAMETER:
        case MQTTASYNC_TOPICNAME_TRUNCATED:
        case MQTTASYNC_BAD_STRUCTURE:
        case MQTTASYNC_BAD_QOS:
            return true;
        default:
            return false;
    }
}

bool is_session_taken_over(int reason_code) {
    return reason_code == MQTTREASONCODE_SESSION_TAKEN_OVER;
}

mqtt::ssl_options make_ssl_options(const BusOptions& options) {
    mqtt::ssl_options ssl;
    ssl.set_enable_server_cert_auth(true);
    // Paho C's `verify` is the check of the certificate's names against the URL's host: off by
    // default, which accepts any certificate signed by a trusted CA, for any host.
    ssl.set_verify(true);
    ssl.set_trust_store(options.tls_ca_file);  // empty: Paho C loads the system's default paths
    ssl.set_key_store(options.tls_cert_file);
    ssl.set_private_key(options.tls_key_file);
    return ssl;
}

std::vector<std::string> stale_filters(const BusOptions& options) {
    std::vector<std::string> stale;
    for (const std::string& filter : options.unsubscribe) {
        const bool wanted = std::any_of(options.subscriptions.begin(), options.subscriptions.end(),
                                        [&](const auto& entry) { return entry.first == filter; });
        // Unsubscribing and subscribing again would lose what arrives in between, for nothing.
        if (!wanted && std::find(stale.begin(), stale.end(), filter) == stale.end()) {
            stale.push_back(filter);
        }
    }
    return stale;
}

namespace {

using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// With create_options, Paho C checks maxBufferedMessages (default 100) even while connected and
// then throws "No more messages can be buffered" at full rate (MQTT-NOTES). Our window bounds what
// we hand over, so this only has to be far above it.
constexpr int kPahoMaxBufferedMessages = 1 << 20;
// Messages handed to Paho per lock round-trip of the publisher thread.
constexpr std::size_t kSendBatch = 64;
// Pause of the publisher thread after Paho refused a publish for a passing reason, so that it does
// not spin while a connection loss is being reported.
constexpr auto kPahoBusyPause = 20ms;
constexpr auto kLastWordsTimeout = 2s;
constexpr auto kDisconnectTimeout = 2s;
constexpr int kFirstReasonCodeError = 0x80;
// A connection is stable, and resets the reconnect back-off when it is lost, once it has lasted
// this many times reconnect_max: longer than two clients sharing our id, both at the maximum
// back-off, let each other keep the session.
constexpr int kStableConnectionFactor = 2;
// Short-lived connections in a row before the bus suspects a client id clash (broker restarts
// alone rarely produce that many).
constexpr int kShortConnectionsWarning = 3;
// Receive Maximum when the broker does not say (MQTT 5 §3.2.2.3.3), and for MQTT 3.1.1.
constexpr std::size_t kMqttMaxReceiveMaximum = 65535;

void* to_context(std::uint64_t value) {
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));  // NOLINT
}

std::uint64_t from_context(void* context) {
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(context));  // NOLINT
}

std::string describe(int return_code, int reason_code) {
    return mqtt::exception::printable_error(return_code, reason_code);
}

/// Runs `body`, logging instead of letting anything escape: used around every Paho callback and
/// every call into the handler.
template <typename Body>
void guarded(const char* what, Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
    } catch (const std::exception& e) {
        spdlog::error("bus: {}: unexpected exception: {}", what, e.what());
    } catch (...) {
        spdlog::error("bus: {}: unexpected exception", what);
    }
}

/// Routes a Paho token's completion to a member of PahoBus.
class Listener final : public mqtt::iaction_listener {
public:
    using Callback = std::function<void(const mqtt::token&, bool success)>;
    Listener(const char* what, Callback callback) : what_(what), callback_(std::move(callback)) {}

    void on_success(const mqtt::token& token) override {
        guarded(what_, [&] { callback_(token, true); });
    }
    void on_failure(const mqtt::token& token) override {
        guarded(what_, [&] { callback_(token, false); });
    }

private:
    const char* what_;
    Callback callback_;
};

mqtt::message_ptr to_paho(const std::string& topic, const std::string& payload, int qos,
                          bool retained) {
    return mqtt::make_message(topic, payload, qos, retained);
}

class PahoBus final : public Bus {
public:
    PahoBus(BusOptions options, BrokerUrl url, BusHandler& handler)
        : options_(std::move(options)),
          url_(std::move(url)),
          handler_(handler),
          connect_listener_("connect",
                            [this](const mqtt::token& t, bool ok) { on_connect(t, ok); }),
          delivery_listener_("delivery",
                             [this](const mqtt::token& t, bool ok) { on_delivery(t, ok); }),
          subscribe_listener_("subscribe",
                              [this](const mqtt::token& t, bool ok) { on_subscribe(t, ok); }),
          unsubscribe_listener_("unsubscribe",
                                [this](const mqtt::token& t, bool ok) { on_unsubscribe(t, ok); }),
          stale_filters_(stale_filters(options_)),
          window_(options_.max_inflight, options_.max_queued),
          backoff_(options_.reconnect_min, options_.reconnect_max) {}

    ~PahoBus() override { stop(0ms, std::nullopt); }

    PahoBus(const PahoBus&) = delete;
    PahoBus& operator=(const PahoBus&) = delete;

    Status start() override {
        const std::lock_guard lock(mutex_);
        if (stopping_) {
            return make_error("bus.stopped", "the bus was stopped; create a new one");
        }
        if (started_) {
            return make_error("bus.already-started", "the bus is already started");
        }
        started_ = true;
        next_connect_ = SteadyClock::now();
        worker_ = std::thread([this] { run(); });
        return Ok{};
    }

    Status publish(OutgoingMessage message) override {
        if (message.qos < 0 || message.qos > 2) {
            return make_error("bus.bad-message", fmt::format("QoS {} for '{}' is not 0, 1 or 2",
                                                             message.qos, message.topic));
        }
        if (Status valid = validate_topic_name(message.topic); !valid) {
            return make_error("bus.bad-message", valid.error().message);
        }
        const std::lock_guard lock(mutex_);
        if (stopping_) {
            ++stats_.dropped;
            return make_error("bus.stopped",
                              fmt::format("the bus is stopped; '{}' not queued", message.topic));
        }
        const bool was_empty = window_.queued() == 0;
        if (Status pushed = window_.push(std::move(message)); !pushed) {
            ++stats_.dropped;
            return pushed;
        }
        if (was_empty && link_ == Link::Connected) {
            work_cv_.notify_one();
        }
        return Ok{};
    }

    bool connected() const override { return connected_.load(std::memory_order_relaxed); }

    void stop(std::chrono::milliseconds drain_timeout,
              std::optional<BusMessage> last_words) override {
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        if (!started_) {
            return;
        }
        // Keep publishing (and reconnecting) until everything is acknowledged or time is up; also
        // let a connection attempt in progress finish, so that it is not torn down half-open.
        const auto deadline = SteadyClock::now() + drain_timeout;
        idle_cv_.wait_until(lock, deadline,
                            [this] { return window_.idle() && link_ != Link::Connecting; });
        const std::size_t left = window_.idle() ? 0 : window_.queued() + window_.inflight();
        exit_worker_ = true;
        work_cv_.notify_one();
        lock.unlock();
        worker_.join();  // from here on, only this thread calls into Paho

        lock.lock();
        const bool was_connected = link_ == Link::Connected;
        if (left > 0) {
            spdlog::warn("bus: stopping with {} message(s) not acknowledged", left);
        }
        window_.clear();
        lock.unlock();

        if (client_ && was_connected) {
            if (last_words) {
                guarded("last words", [&] {
                    auto token = client_->publish(to_paho(last_words->topic, last_words->payload,
                                                          last_words->qos, last_words->retained));
                    if (!token->wait_for(kLastWordsTimeout)) {
                        spdlog::warn("bus: last words on '{}' not acknowledged in time",
                                     last_words->topic);
                    }
                });
            }
            guarded("disconnect", [&] {
                // A clean DISCONNECT: the broker discards the Will, keeps the session.
                client_->disconnect(mqtt::disconnect_options(kDisconnectTimeout))
                    ->wait_for(kDisconnectTimeout + 1s);
            });
        }

        lock.lock();
        link_ = Link::Disconnected;
        connected_ = false;
        ++generation_;  // late Paho callbacks of this session are now stale
        lock.unlock();
        if (was_connected) {
            spdlog::info("bus: disconnected from {}", url_.paho_uri());
        }
        report_disconnected("stopped");
        guarded("destroy client", [&] { client_.reset(); });
    }

    BusStats stats() const override {
        const std::lock_guard lock(mutex_);
        BusStats stats = stats_;
        stats.received = received_.load(std::memory_order_relaxed);
        stats.queued = window_.queued();
        stats.inflight = window_.inflight();
        stats.peak_inflight = window_.peak_inflight();
        return stats;
    }

private:
    enum class Link { Disconnected, Connecting, Connected };

    // ---- publisher thread ---------------------------------------------------------------------

    void run() {
        std::unique_lock lock(mutex_);
        while (!exit_worker_) {
            const auto now = SteadyClock::now();
            if (link_ == Link::Disconnected) {
                if (now >= next_connect_) {
                    begin_connect(lock);
                } else {
                    work_cv_.wait_until(lock, next_connect_);
                }
                continue;
            }
            if (link_ == Link::Connected && needs_setup_) {
                set_up_session(lock);
                continue;
            }
            if (link_ == Link::Connected && window_.can_send()) {
                if (now < paho_busy_until_) {
                    work_cv_.wait_until(lock, paho_busy_until_);
                } else {
                    send_batch(lock);
                }
                continue;
            }
            // Every change that could give work (push, ack, link change, stop) notifies under the
            // lock we hold until wait() releases it, so none is missed.
            work_cv_.wait(lock);
        }
    }

    void begin_connect(std::unique_lock<std::mutex>& lock) {
        link_ = Link::Connecting;
        const std::uint64_t generation = ++generation_;
        const bool recreate = recreate_client_ || !client_;
        recreate_client_ = false;
        const int version = mqtt_version_;
        lock.unlock();
        std::string failure;
        try {
            if (recreate) {
                client_.reset();
                client_ = make_client(version);
            }
            client_->connect(make_connect_options(version), to_context(generation),
                             connect_listener_);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        lock.lock();
        if (!failure.empty() && generation == generation_ && link_ == Link::Connecting) {
            link_ = Link::Disconnected;
            ++stats_.connect_failures;
            const auto delay = backoff_.next();
            next_connect_ = SteadyClock::now() + delay;
            spdlog::warn("bus: cannot connect to {}: {}; retrying in {} ms", url_.paho_uri(),
                         failure, delay.count());
        }
    }

    std::unique_ptr<mqtt::async_client> make_client(int version) {
        mqtt::create_options create(version);
        create.set_max_buffered_messages(kPahoMaxBufferedMessages);
        // Refuse publishing while disconnected: our own queue keeps those messages, in order.
        create.set_send_while_disconnected(false);
        // A null persistence: never the file-persistence constructors (MQTT-NOTES); the durable
        // copy of what matters is the gateway's SQLite outbox.
        auto client = std::make_unique<mqtt::async_client>(url_.paho_uri(), options_.client_id,
                                                           create, nullptr);
        client->set_message_callback([this](mqtt::const_message_ptr message) {
            guarded("message", [&] { on_message(message); });
        });
        client->set_connection_lost_handler([this](const std::string& cause) {
            guarded("connection lost",
                    [&] { on_link_lost(cause.empty() ? "connection lost" : cause, false); });
        });
        client->set_disconnected_handler([this](const mqtt::properties&, mqtt::ReasonCode reason) {
            guarded("disconnected", [&] {
                // Paho C calls this as it reads the DISCONNECT, before connection_lost if that
                // comes at all: the reason code reaches on_link_lost first.
                if (is_session_taken_over(reason)) {
                    on_link_lost(fmt::format("session taken over: another client connected with "
                                             "the client id '{}'",
                                             options_.client_id),
                                 true);
                    return;
                }
                on_link_lost(fmt::format("broker sent DISCONNECT: {}",
                                         mqtt::exception::reason_code_str(reason)),
                             false);
            });
        });
        return client;
    }

    mqtt::connect_options make_connect_options(int version) const {
        mqtt::connect_options options;
        options.set_mqtt_version(version);
        options.set_keep_alive_interval(options_.keep_alive);
        options.set_connect_timeout(options_.connect_timeout);
        options.set_automatic_reconnect(false);  // our loop reconnects, with our back-off
        // Room for our window plus the messages Paho may still hold from before a reconnect, the
        // birth and the last words; Paho's own cap is 65535.
        const std::size_t paho_inflight =
            std::min<std::size_t>(2 * options_.max_inflight + 16, 65535);
        options.set_max_inflight(static_cast<int>(paho_inflight));
        if (version >= MQTTVERSION_5) {
            options.set_clean_session(false);  // Paho refuses cleansession with MQTT 5
            options.set_clean_start(!options_.persistent_session);
            if (options_.persistent_session) {
                const auto expiry = std::min<std::int64_t>(
                    options_.session_expiry.count(), std::numeric_limits<std::int32_t>::max());
                options.set_properties(mqtt::properties{
                    {mqtt::property::SESSION_EXPIRY_INTERVAL, static_cast<std::int32_t>(expiry)}});
            }
        } else {
            options.set_clean_session(!options_.persistent_session);
        }
        if (!options_.username.empty()) {
            options.set_user_name(options_.username);
        }
        if (!options_.password.empty()) {
            options.set_password(options_.password);
        }
        if (options_.will) {
            const BusMessage& will = *options_.will;
            options.set_will(mqtt::will_options(will.topic, will.payload, will.qos, will.retained));
        }
        if (url_.tls) {
            options.set_ssl(make_ssl_options(options_));
        }
        return options;
    }

    void set_up_session(std::unique_lock<std::mutex>& lock) {
        needs_setup_ = false;
        const bool session_present = session_present_;
        const std::uint64_t generation = generation_;
        lock.unlock();
        // A resumed session still holds the filters of earlier configurations; drop those first.
        // Paho sends requests in order and the broker handles them in order, so by the time the
        // subscriptions are acknowledged the stale filters are gone. A new session has none.
        if (session_present) {
            for (std::size_t i = 0; i < stale_filters_.size(); ++i) {
                guarded("unsubscribe", [&, index = i] {
                    client_->unsubscribe(stale_filters_[index], to_context(index + 1),
                                         unsubscribe_listener_);
                });
            }
        }
        // Always resubscribe: the broker may have lost the session (restarted without persistence,
        // or the session expired), and a resubscription of an existing one is harmless.
        for (std::size_t i = 0; i < options_.subscriptions.size(); ++i) {
            // Not a structured binding: clang 14 cannot capture one in a lambda.
            const auto& subscription = options_.subscriptions[i];
            guarded("subscribe", [&, index = i] {
                client_->subscribe(subscription.first, subscription.second, to_context(index + 1),
                                   subscribe_listener_);
            });
        }
        if (options_.birth) {
            const BusMessage& birth = *options_.birth;
            guarded("birth", [&] {
                client_->publish(to_paho(birth.topic, birth.payload, birth.qos, birth.retained));
            });
        }
        report_connected(generation, session_present);
        lock.lock();
    }

    /// on_connected and on_disconnected must reach the handler in the order of the link changes,
    /// though they come from different threads: both go through events_mutex_, and a connection
    /// lost before it was reported is reported neither up nor down.
    void report_connected(std::uint64_t generation, bool session_present) {
        const std::lock_guard events(events_mutex_);
        {
            const std::lock_guard lock(mutex_);
            if (generation != generation_) {
                return;  // already lost again
            }
        }
        handler_connected_ = true;
        guarded("on_connected", [&] { handler_.on_connected(session_present); });
    }

    void report_disconnected(const std::string& reason) {
        const std::lock_guard events(events_mutex_);
        if (handler_connected_) {
            handler_connected_ = false;
            guarded("on_disconnected", [&] { handler_.on_disconnected(reason); });
        }
    }

    void send_batch(std::unique_lock<std::mutex>& lock) {
        std::vector<PublishWindow::Attempt> batch;
        batch.reserve(kSendBatch);
        while (batch.size() < kSendBatch) {
            auto attempt = window_.next();
            if (!attempt) {
                break;
            }
            batch.push_back(std::move(*attempt));
        }
        lock.unlock();

        std::size_t sent = 0;
        std::size_t handed = 0;  // sent or rejected: the rest goes back to the queue
        std::vector<std::pair<std::size_t, std::string>> rejected;
        std::string transient;
        for (; handed < batch.size(); ++handed) {
            const OutgoingMessage& message = *batch[handed].message;
            try {
                client_->publish(
                    to_paho(message.topic, message.payload, message.qos, message.retained),
                    to_context(batch[handed].attempt), delivery_listener_);
                ++sent;
            } catch (const mqtt::exception& e) {
                if (!is_permanent_publish_error(e.get_return_code())) {
                    transient = e.what();
                    break;
                }
                rejected.emplace_back(handed, e.what());
            } catch (const std::exception& e) {
                transient = e.what();
                break;
            }
        }

        lock.lock();
        stats_.published += sent;
        // Put the unsent tail back; the window keeps the queue in publish order.
        for (std::size_t i = handed; i < batch.size(); ++i) {
            window_.retry(batch[i].attempt);
        }
        if (!transient.empty()) {
            paho_busy_until_ = SteadyClock::now() + kPahoBusyPause;
            spdlog::debug("bus: publish deferred: {}", transient);
        }
        std::vector<std::pair<std::uint64_t, std::string>> to_report;
        for (auto& [index, reason] : rejected) {
            const auto settlement = window_.reject(batch[index].attempt);
            if (settlement.first) {
                ++stats_.rejected;
                spdlog::error("bus: publish to '{}' rejected: {}", batch[index].message->topic,
                              reason);
                if (settlement.id != 0) {
                    to_report.emplace_back(settlement.id, std::move(reason));
                }
            }
        }
        if (!to_report.empty()) {
            lock.unlock();
            for (auto& report : to_report) {
                guarded("on_rejected",
                        [&] { handler_.on_rejected(report.first, std::move(report.second)); });
            }
            lock.lock();
        }
    }

    // ---- Paho threads -------------------------------------------------------------------------

    void on_connect(const mqtt::token& token, bool success) {
        const std::uint64_t generation = from_context(token.get_user_context());
        bool session_present = false;
        int version = 0;
        // MQTT 5 brokers announce how many unacknowledged QoS 1/2 messages they accept (Mosquitto:
        // max_inflight_messages, 20 by default). Beyond it Paho queues internally and, in 1.3.11,
        // sends the rest only on its 1 s timer (MQTT-NOTES): keep our window within it.
        std::size_t receive_maximum = kMqttMaxReceiveMaximum;
        if (success) {
            const mqtt::connect_response response = token.get_connect_response();
            session_present = response.is_session_present();
            version = response.get_mqtt_version();
            const mqtt::properties& properties = response.get_properties();
            if (properties.contains(mqtt::property::RECEIVE_MAXIMUM)) {
                receive_maximum = std::max<std::size_t>(
                    1, mqtt::get<std::uint16_t>(properties, mqtt::property::RECEIVE_MAXIMUM));
            }
        }
        const std::lock_guard lock(mutex_);
        if (generation != generation_ || link_ != Link::Connecting) {
            return;  // an attempt overtaken by stop() or by a newer attempt
        }
        if (success) {
            link_ = Link::Connected;
            connected_ = true;
            needs_setup_ = true;
            session_present_ = session_present;
            const std::size_t window = std::min(options_.max_inflight, receive_maximum);
            if (window != window_.max_inflight()) {
                spdlog::info(
                    "bus: {} accepts {} unacknowledged messages; window {} (configured {})",
                    url_.paho_uri(), receive_maximum, window, options_.max_inflight);
            }
            window_.set_max_inflight(window);
            // The back-off is reset when this connection is lost after having been stable, not
            // now: see on_link_lost.
            connected_at_ = SteadyClock::now();
            if (!session_present && options_.persistent_session && stats_.connects > 0) {
                // The broker restarted without persistence, or we were away longer than the
                // session expiry: what arrived for our subscriptions meanwhile is gone.
                spdlog::warn(
                    "bus: session lost: messages published while disconnected were not kept "
                    "(broker {} has no session for '{}')",
                    url_.paho_uri(), options_.client_id);
            }
            if (++stats_.connects > 1) {
                ++stats_.reconnects;
            }
            spdlog::info("bus: connected to {} as '{}' (MQTT {}, session {})", url_.paho_uri(),
                         options_.client_id, version == MQTTVERSION_5 ? "5" : "3.1.1",
                         session_present ? "resumed" : "new");
        } else {
            link_ = Link::Disconnected;
            ++stats_.connect_failures;
            const int return_code = token.get_return_code();
            const int reason_code = token.get_reason_code();
            if (mqtt_version_ >= MQTTVERSION_5 &&
                is_protocol_version_refusal(return_code, reason_code)) {
                spdlog::warn("bus: {} refused MQTT 5; falling back to MQTT 3.1.1", url_.paho_uri());
                mqtt_version_ = MQTTVERSION_3_1_1;
                recreate_client_ = true;  // Paho ties the protocol version to the client object
                next_connect_ = SteadyClock::now();
            } else {
                const auto delay = backoff_.next();
                next_connect_ = SteadyClock::now() + delay;
                spdlog::warn("bus: connection to {} failed: {}; retrying in {} ms", url_.paho_uri(),
                             describe(return_code, reason_code), delay.count());
            }
        }
        work_cv_.notify_one();
        idle_cv_.notify_all();
    }

    /// `taken_over`: the broker dropped us for another client with our client id.
    void on_link_lost(const std::string& cause, bool taken_over) {
        {
            const std::lock_guard lock(mutex_);
            if (link_ != Link::Connected) {
                return;  // already handled (both Paho handlers may fire for one loss)
            }
            link_ = Link::Disconnected;
            connected_ = false;
            needs_setup_ = false;
            ++generation_;
            const std::size_t requeued = window_.requeue_inflight();
            stats_.resent += requeued;
            // A connection that the broker accepts and soon closes, again and again, is what a
            // second client with our id looks like on brokers that do not say so (Mosquitto
            // before 2.0.15 closes the old connection without DISCONNECT 0x8E): resetting the
            // back-off on each such "success" would make the two take the session from each other
            // every reconnect_min, forever. Only a stable connection resets it.
            const auto lasted = SteadyClock::now() - connected_at_;
            if (lasted >= kStableConnectionFactor * options_.reconnect_max) {
                backoff_.reset();
                short_connections_ = 0;
            } else {
                ++short_connections_;
            }
            // Taking the session straight back would throw the other client out in turn, and the
            // two would fight over it forever: wait the longest, and say why loudly.
            const auto delay = taken_over ? options_.reconnect_max : backoff_.next();
            next_connect_ = SteadyClock::now() + delay;
            if (taken_over) {
                spdlog::error(
                    "bus: another client uses the client id '{}': give each gateway its own "
                    "instance or client_id (the broker at {} dropped us for it; taking the "
                    "session back in {} ms)",
                    options_.client_id, url_.paho_uri(), delay.count());
            }
            spdlog::warn(
                "bus: lost connection to {} ({}); {} message(s) to re-send, {} queued; "
                "reconnecting in {} ms",
                url_.paho_uri(), cause, requeued, window_.queued(), delay.count());
            if (!taken_over && short_connections_ >= kShortConnectionsWarning) {
                spdlog::warn(
                    "bus: {} connections in a row lost within {} ms of connecting; if another "
                    "client uses the client id '{}', give each gateway its own instance or "
                    "client_id",
                    short_connections_, (kStableConnectionFactor * options_.reconnect_max).count(),
                    options_.client_id);
            }
            work_cv_.notify_one();
        }
        report_disconnected(cause);
    }

    void on_delivery(const mqtt::token& token, bool success) {
        const std::uint64_t attempt = from_context(token.get_user_context());
        const int reason_code = token.get_reason_code();
        const bool refused =
            !success && reason_code >= kFirstReasonCodeError && reason_code != mqtt::MQTTPP_V3_CODE;
        PublishWindow::Settlement settlement;
        std::string reason;
        {
            const std::lock_guard lock(mutex_);
            const bool was_full = window_.inflight() >= window_.max_inflight();
            if (success) {
                settlement = window_.acknowledge(attempt);
                if (settlement.first) {
                    ++stats_.delivered;
                }
            } else if (refused) {
                // MQTT 5 PUBACK with an error reason (e.g. 0x87 Not authorized): final.
                settlement = window_.reject(attempt);
                if (settlement.first) {
                    ++stats_.rejected;
                    reason = describe(token.get_return_code(), reason_code);
                    spdlog::error("bus: broker refused a message: {}", reason);
                }
            } else {
                // Lost with the connection or dropped inside Paho: send it again.
                window_.retry(attempt);
                paho_busy_until_ = SteadyClock::now() + kPahoBusyPause;
            }
            if (was_full || !success) {
                work_cv_.notify_one();
            }
            if (stopping_ && window_.idle()) {
                idle_cv_.notify_all();
            }
        }
        if (settlement.first && settlement.id != 0) {
            if (success) {
                handler_.on_delivered(settlement.id);
            } else {
                handler_.on_rejected(settlement.id, std::move(reason));
            }
        }
    }

    void on_subscribe(const mqtt::token& token, bool success) {
        const std::size_t index = from_context(token.get_user_context()) - 1;
        if (index >= options_.subscriptions.size()) {
            return;
        }
        const std::string& filter = options_.subscriptions[index].first;
        int reason_code = token.get_reason_code();
        if (success && reason_code != mqtt::MQTTPP_V3_CODE) {
            const auto codes = token.get_subscribe_response().get_reason_codes();
            reason_code = codes.empty() ? 0 : codes.front();
        }
        if (!success ||
            (reason_code >= kFirstReasonCodeError && reason_code != mqtt::MQTTPP_V3_CODE)) {
            spdlog::error("bus: subscription to '{}' failed: {}", filter,
                          describe(token.get_return_code(), reason_code));
        } else {
            spdlog::debug("bus: subscribed to '{}'", filter);
        }
    }

    void on_unsubscribe(const mqtt::token& token, bool success) {
        const std::size_t index = from_context(token.get_user_context()) - 1;
        if (index >= stale_filters_.size()) {
            return;
        }
        const std::string& filter = stale_filters_[index];
        int reason_code = token.get_reason_code();
        if (success && reason_code != mqtt::MQTTPP_V3_CODE) {
            const auto codes = token.get_unsubscribe_response().get_reason_codes();
            reason_code = codes.empty() ? 0 : codes.front();
        }
        // 0x11 "No subscription existed" is below 0x80, a success: the filter is gone either way.
        if (!success ||
            (reason_code >= kFirstReasonCodeError && reason_code != mqtt::MQTTPP_V3_CODE)) {
            spdlog::error("bus: unsubscribing from '{}' failed: {}; retried on the next connect",
                          filter, describe(token.get_return_code(), reason_code));
        } else {
            spdlog::info("bus: unsubscribed from '{}'{}", filter,
                         reason_code == MQTTREASONCODE_NO_SUBSCRIPTION_FOUND
                             ? " (it was not subscribed)"
                             : "");
        }
    }

    void on_message(const mqtt::const_message_ptr& message) {
        received_.fetch_add(1, std::memory_order_relaxed);
        // Paho's receive thread also processes our PUBACKs: hand over and return.
        handler_.on_message(BusMessage{message->get_topic(), message->get_payload_str(),
                                       message->get_qos(), message->is_retained()});
    }

    const BusOptions options_;
    const BrokerUrl url_;
    BusHandler& handler_;
    // Declared before client_, so that they outlive it: Paho holds pointers to them.
    Listener connect_listener_;
    Listener delivery_listener_;
    Listener subscribe_listener_;
    Listener unsubscribe_listener_;
    const std::vector<std::string> stale_filters_;  // see stale_filters()

    std::mutex events_mutex_;         // orders on_connected / on_disconnected; before mutex_
    bool handler_connected_ = false;  // guarded by events_mutex_
    mutable std::mutex mutex_;
    std::condition_variable work_cv_;  // the publisher thread: something to do
    std::condition_variable idle_cv_;  // stop(): drained, or a connection attempt resolved
    PublishWindow window_;
    Backoff backoff_;
    SteadyClock::time_point connected_at_{};
    int short_connections_ = 0;  // connections in a row lost before being stable
    Link link_ = Link::Disconnected;
    std::uint64_t generation_ = 0;  // bumped by each connect attempt and loss: stale callbacks
    bool needs_setup_ = false;
    bool session_present_ = false;
    int mqtt_version_ = MQTTVERSION_5;
    bool recreate_client_ = false;
    SteadyClock::time_point next_connect_{};
    SteadyClock::time_point paho_busy_until_{};
    bool started_ = false;
    bool stopping_ = false;
    bool exit_worker_ = false;
    BusStats stats_;
    std::atomic<std::uint64_t> received_{0};
    std::atomic<bool> connected_{false};

    // Created, replaced and used by the publisher thread only; by stop() once that thread is
    // joined.
    std::unique_ptr<mqtt::async_client> client_;
    std::thread worker_;
};

Status validate_options(const BusOptions& options, const BrokerUrl& url) {
    auto bad = [](std::string message) {
        return make_error("bus.bad-options", std::move(message));
    };
    if (options.client_id.empty()) {
        return bad("client_id must not be empty: the broker keeps our session under it");
    }
    if (options.max_inflight == 0) {
        return bad("max_inflight must be at least 1");
    }
    if (options.reconnect_min <= 0ms || options.reconnect_min > options.reconnect_max) {
        return bad(
            fmt::format("reconnect back-off must satisfy 0 < min <= max (min {} ms, max {} ms)",
                        options.reconnect_min.count(), options.reconnect_max.count()));
    }
    for (const auto& [filter, qos] : options.subscriptions) {
        if (Status valid = validate_topic_filter(filter); !valid) {
            return bad(fmt::format("subscription: {}", valid.error().message));
        }
        if (qos < 0 || qos > 2) {
            return bad(fmt::format("subscription '{}': QoS {} is not 0, 1 or 2", filter, qos));
        }
    }
    for (const std::string& filter : options.unsubscribe) {
        if (Status valid = validate_topic_filter(filter); !valid) {
            return bad(fmt::format("unsubscribe: {}", valid.error().message));
        }
    }
    const std::pair<const char*, const std::string*> tls_files[] = {
        {"tls_ca_file", &options.tls_ca_file},
        {"tls_cert_file", &options.tls_cert_file},
        {"tls_key_file", &options.tls_key_file}};
    for (const auto& [name, path] : tls_files) {
        if (path->empty()) {
            continue;
        }
        if (!url.tls) {
            // Silently ignoring it would leave the user believing the link is protected.
            return bad(
                fmt::format("{} is set but the broker URL '{}' is not TLS; use ssl:// or "
                            "mqtts://",
                            name, options.url));
        }
        std::error_code error;
        const bool is_file = std::filesystem::is_regular_file(*path, error);
        if (error) {
            return bad(fmt::format("{} '{}': {}", name, *path, error.message()));
        }
        if (!is_file) {
            return bad(fmt::format("{} '{}' is not a file", name, *path));
        }
    }
    if (!options.tls_key_file.empty() && options.tls_cert_file.empty()) {
        return bad("tls_key_file is set without tls_cert_file: a key needs its certificate");
    }
    for (const auto* message : {&options.will, &options.birth}) {
        if (!*message) {
            continue;
        }
        const char* what = message == &options.will ? "will" : "birth";
        if (Status valid = validate_topic_name((*message)->topic); !valid) {
            return bad(fmt::format("{}: {}", what, valid.error().message));
        }
        if ((*message)->qos < 0 || (*message)->qos > 2) {
            return bad(fmt::format("{}: QoS {} is not 0, 1 or 2", what, (*message)->qos));
        }
    }
    return Ok{};
}

}  // namespace

Result<std::unique_ptr<Bus>> make_paho_bus(BusOptions options, BusHandler& handler) {
    Result<BrokerUrl> url = parse_broker_url(options.url);
    if (!url) {
        return url.error();
    }
    if (Status valid = validate_options(options, *url); !valid) {
        return valid.error();
    }
    return std::unique_ptr<Bus>(
        std::make_unique<PahoBus>(std::move(options), std::move(*url), handler));
}

}  // namespace passerelle::bus
