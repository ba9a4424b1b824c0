// SPDX-License-Identifier: Apache-2.0
// The message bus as the rest of the gateway sees it (publish, receive, acks); no Paho here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::bus {

/// A message received from (or, as will/birth/last words, configured for) the broker.
struct BusMessage {
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retained = false;
};

/// A message to publish. `id` lets the caller match `on_delivered` to its own record (an outbox
/// row); 0 means untracked: no `on_delivered` is reported for it.
struct OutgoingMessage {
    std::uint64_t id = 0;
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retained = false;
};

/// Events from the bus. Called on the bus's own threads (Paho's receive thread included):
/// implementations must return quickly, never block, and may call `Bus::publish` (it never blocks).
class BusHandler {
public:
    virtual ~BusHandler() = default;
    /// A message arrived on a subscribed topic; hand it to a queue and return.
    virtual void on_message(BusMessage message) = 0;
    /// A connection is up (after subscriptions were requested). `session_present`: the broker kept
    /// our session, so messages published while we were away are on their way.
    virtual void on_connected(bool session_present) = 0;
    /// The connection went away (or a connection attempt failed after having been up). `reason`
    /// starts with "session taken over" when the broker dropped us for another client using our
    /// client id (MQTT 5 reason code 0x8E; an MQTT 3.1.1 broker just closes the connection, which
    /// cannot be told apart from any other loss): the bus then waits `reconnect_max` before taking
    /// it back, so that two gateways sharing an id do not steal it from each other in a tight loop.
    virtual void on_disconnected(std::string reason) = 0;
    /// A tracked message was acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2, written for QoS 0).
    /// Reported at most once per id, even when the message had to be re-sent after a reconnect.
    virtual void on_delivered(std::uint64_t id) = 0;
    /// A tracked message will never be delivered: the broker refused it (MQTT 5 reason code >=
    /// 0x80, e.g. "Not authorized") or Paho rejected it as malformed. It is not retried. Default:
    /// ignored.
    virtual void on_rejected(std::uint64_t id, std::string reason) {
        static_cast<void>(id);
        static_cast<void>(reason);
    }
};

struct BusOptions {
    /// tcp://host:port, mqtt://host:port (same as tcp), ssl://host:port or mqtts://host:port; the
    /// port defaults to 1883 (8883 for TLS).
    std::string url = "tcp://127.0.0.1:1883";
    /// TLS (ssl:// and mqtts:// URLs only; set with a plain URL they are refused as bad options,
    /// since the user believes the link is protected). The broker's certificate is always
    /// verified, chain and host name (the URL's host, a name or an IP address). PEM files:
    /// `tls_ca_file` the CA certificate(s) to trust, empty = the system trust store;
    /// `tls_cert_file` our client certificate (chain), empty = none; `tls_key_file` its private
    /// key (unencrypted), empty = in `tls_cert_file`. Must exist when the bus is made.
    std::string tls_ca_file;
    std::string tls_cert_file;
    std::string tls_key_file;
    /// Fixed, so that the broker keeps our session between connections. Must not be empty, and
    /// must be this gateway's own: a second client connecting with it takes the session over
    /// (reported as on_disconnected("session taken over: ...") and logged as an error).
    std::string client_id;
    std::string username;
    std::string password;  // never logged
    /// Filters and their QoS, (re)subscribed on every connect: the broker may have lost the
    /// session.
    std::vector<std::pair<std::string, int>> subscriptions;
    /// Filters to UNSUBSCRIBE on every connect that finds our session present, before the
    /// subscriptions are requested: a persistent session keeps every filter ever subscribed under
    /// this client id, and keeps delivering on it, until it is unsubscribed. The caller passes the
    /// filters it subscribed before and no longer wants (it has to remember them itself: the broker
    /// does not tell). A filter that is not subscribed is fine (MQTT 5 answers "No subscription
    /// existed", ignored); one that is also in `subscriptions` is skipped. Failures are logged,
    /// not retried until the next connect. Matched exactly, as MQTT does: "a/#" is not "a/+/#".
    std::vector<std::string> unsubscribe;
    /// Last Will, published by the broker when the connection drops without a clean disconnect.
    std::optional<BusMessage> will;
    /// Published after every connect, before queued messages (e.g. retained status "online").
    std::optional<BusMessage> birth;
    /// MQTT 5 clean_start=false + Session Expiry Interval (3.1.1: clean_session=false).
    bool persistent_session = true;
    std::chrono::seconds session_expiry{7 * 24 * 3600};
    std::chrono::seconds keep_alive{30};
    /// Reconnect back-off: doubles from min to max after each failed attempt, and after each
    /// connection lost within 2 * reconnect_max of being made (a broker that keeps accepting us
    /// and then closing the connection: typically another client with our client id, which some
    /// brokers, e.g. Mosquitto before 2.0.15, do not report as "session taken over"); reset when
    /// a connection that lasted longer is lost.
    std::chrono::milliseconds reconnect_min{500};
    std::chrono::milliseconds reconnect_max{30000};
    std::chrono::seconds connect_timeout{10};
    /// Application-level window of unacknowledged publishes (MQTT-NOTES: Paho C slows down badly
    /// when thousands are outstanding inside it).
    std::size_t max_inflight = 1000;
    /// Messages waiting to be sent (disconnected, or window full). `publish` fails beyond this.
    std::size_t max_queued = 100000;
};

/// Counters since `start`. Gauges (`queued`, `inflight`) are the values at the time of the call.
struct BusStats {
    std::uint64_t received = 0;    // messages handed to on_message
    std::uint64_t published = 0;   // publish attempts handed to Paho (re-sends included)
    std::uint64_t delivered = 0;   // distinct messages acknowledged (tracked or not)
    std::uint64_t resent = 0;      // messages put back in the queue after a connection loss
    std::uint64_t rejected = 0;    // refused by the broker or by Paho, not retried
    std::uint64_t dropped = 0;     // refused by publish(): queue full or bus stopped
    std::uint64_t connects = 0;    // successful connections
    std::uint64_t reconnects = 0;  // successful connections after the first one
    std::uint64_t connect_failures = 0;
    std::size_t queued = 0;         // waiting to be sent now
    std::size_t inflight = 0;       // sent, not acknowledged now
    std::size_t peak_inflight = 0;  // highest `inflight` seen
};

class Bus {
public:
    virtual ~Bus() = default;

    /// Begins connecting in the background, then reconnects forever with back-off.
    /// @return "bus.already-started" when called twice; connection failures are not errors here,
    /// they are logged and retried.
    virtual Status start() = 0;

    /// Queues a message; never blocks. Messages are sent in order, at least once.
    /// @return "bus.queue-full" when `max_queued` messages are already waiting,
    ///         "bus.bad-message" for an invalid topic name or QoS outside 0..2,
    ///         "bus.stopped" after stop().
    virtual Status publish(OutgoingMessage message) = 0;

    virtual bool connected() const = 0;

    /// Waits up to `drain_timeout` for queued and in-flight messages to be acknowledged (still
    /// reconnecting meanwhile), publishes `last_words` if connected (e.g. retained "offline", since
    /// a clean disconnect suppresses the Will), disconnects cleanly and joins the bus's threads.
    /// Idempotent; the destructor calls it with a zero timeout.
    virtual void stop(std::chrono::milliseconds drain_timeout,
                      std::optional<BusMessage> last_words) = 0;

    virtual BusStats stats() const = 0;
};

/// The Paho MQTT implementation.
/// @return "bus.bad-url" (see parse_broker_url), "bus.bad-options" (empty client id, min > max
///         back-off, zero window, invalid subscription or unsubscribe filter, will or birth topic,
///         TLS file set with a plain URL or missing, key file without certificate file).
Result<std::unique_ptr<Bus>> make_paho_bus(BusOptions options, BusHandler& handler);

}  // namespace passerelle::bus
