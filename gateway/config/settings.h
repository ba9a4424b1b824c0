// SPDX-License-Identifier: Apache-2.0
// The gateway's settings as read from passerelle.yaml, after validation.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/json/mapping.h"
#include "connectors/modbus/device.h"
#include "gateway/core/territory.h"
#include "gateway/core/time.h"
#include "gateway/core/time_zone.h"
#include "gateway/routing/route.h"

namespace passerelle::config {

/// `broker.tls`: PEM files for an ssl:// or mqtts:// URL (resolved paths; empty when not given).
struct BrokerTls {
    std::string ca_file;    // the CA that signed the broker's certificate; the system's when empty
    std::string cert_file;  // the gateway's client certificate, when the broker asks for one
    std::string key_file;   // its private key, when not in cert_file
};

struct BrokerSettings {
    std::string url = "tcp://127.0.0.1:1883";
    std::string client_id;  // "passerelle-<instance>" when not given
    std::string username;
    /// From the environment variable named by `password_env`, or the file `password_file`;
    /// never logged.
    std::string password;
    std::string password_file;  // resolved, for `passerelle acl`; empty when not given
    BrokerTls tls;
    Duration connect_timeout = std::chrono::seconds(30);
};

/// A broker account that `passerelle acl` writes besides the gateway's and the stakeholders':
/// a network server, a radio receiver, the demo's simulator. `broker_users:` in passerelle.yaml.
struct BrokerUser {
    std::string name;
    std::string password_file;           // resolved
    std::vector<std::string> publish;    // topic filters it may publish to
    std::vector<std::string> subscribe;  // topic filters it may read
    SourceSpan span;
};

/// `rules_reload`: the rules are read again when their files change on disk.
struct RulesReloadSettings {
    bool watch = true;
    /// Editors save in several steps (a temporary file renamed over, or truncate then write): the
    /// reload waits until the files have been quiet this long.
    Duration debounce = std::chrono::milliseconds(500);
};

/// `connectors: wmbus:`: radio receivers publish the telegrams they hear on these topics.
struct WmbusConnectorSettings {
    std::vector<std::string> topics;  // MQTT filters, e.g. wmbus/+/telegram
    bool format_b = false;            // receivers that keep format B frames with their CRCs
};

/// One `connectors: mbus_tcp:` entry: wired meters behind a serial-to-TCP server, read in turn.
struct MbusTcpSettings {
    std::string host;
    std::uint16_t port = 0;
    std::vector<std::uint8_t> addresses;  // primary addresses
    Duration interval = std::chrono::minutes(15);
    Duration timeout = std::chrono::seconds(2);  // per request; 10s for 300 baud buses
    int attempts = 3;                             // tries per request, the first included
};

/// `connectors:`: where the gateway finds field data that is not canonical yet. Each connector
/// publishes the readings it decodes on telemetry/<provider>/<entity>/<quantity>.
struct ConnectorSettings {
    std::optional<WmbusConnectorSettings> wmbus;
    /// `wmbusmeters: {topics: [...]}`: wmbusmeters' JSON, one object per telegram.
    std::vector<std::string> wmbusmeters_topics;
    /// `lorawan: {topics: [...]}`: network servers' uplinks (ChirpStack v4, The Things Stack v3).
    std::vector<std::string> lorawan_topics;
    std::vector<MbusTcpSettings> mbus_tcp;
    /// `modbus: {devices: [modbus/sst-nord.yaml]}`: Modbus TCP devices and their register maps,
    /// each device named after its registry entity.
    std::vector<connectors::modbus::Device> modbus_devices;
    /// `json: [{topics, entity, records, time, values}]`: JSON messages of any shape read by a
    /// declarative mapping; a topic is read by the first mapping whose filters match it.
    std::vector<connectors::json::Mapping> json;
    /// Every filter the connectors subscribe to.
    std::vector<std::string> topics() const;
};

struct Settings {
    std::string config_path;  // the file these settings came from
    std::string instance = "passerelle";
    BrokerSettings broker;
    std::string data_dir = "/var/lib/passerelle";
    /// How long the explain log (<data_dir>/explain) keeps why each alert changed; 0: not kept.
    Duration explain_retention = std::chrono::hours(24 * 30);
    /// How long readings stay in the store's history (<data_dir>/passerelle.db).
    Duration history_retention = std::chrono::hours(24 * 30);
    /// How far back the rules evaluate the history again at start to resume where they were:
    /// longer than the longest window, `for` and alert of the rules. At most history_retention.
    Duration restore_window = std::chrono::hours(24 * 7);
    Duration dead_letter_retention = std::chrono::hours(24 * 30);
    /// Readings older than this keep only the latest of each series per downsample_to; none
    /// thinned when absent. At least restore_window, which must read them all.
    std::optional<Duration> downsample_after;
    Duration downsample_to = std::chrono::minutes(15);
    /// Notifications waiting for the broker's acknowledgement with a durable copy, at most.
    std::size_t outbox_limit = 100'000;
    Territory territory;
    /// `routing:`: grouping, repeats and desks of the routed recipients (docs/routing.md).
    routing::RoutingConfig routing;
    /// Each stakeholder's `password_file` (resolved), by stakeholder id: its broker password,
    /// for `passerelle acl`.
    std::map<std::string, std::string> stakeholder_password_files;
    std::vector<BrokerUser> broker_users;
    std::vector<std::string> rule_files;  // resolved from globs, sorted
    /// The `rules` globs relative to the working directory, as given to glob(3): the watched
    /// folders are theirs.
    std::vector<std::string> rule_globs;
    RulesReloadSettings rules_reload;
    ConnectorSettings connectors;
    /// Where hour(), weekday() and hours of the day in rules are read: `time_zone`, an IANA zone
    /// name, Europe/Paris when not given.
    TimeZone time_zone = TimeZone::utc();
    std::size_t max_payload_bytes = 64 * 1024;
    /// How often counters are logged when something went wrong and published on
    /// passerelle/<instance>/stats.
    Duration stats_interval = std::chrono::seconds(10);
    /// Readings dated further ahead of the gateway's clock are dead letters: one sensor with a wrong
    /// clock must not move rule time for everyone.
    Duration max_clock_ahead = std::chrono::minutes(5);
    /// Readings dated further behind it are dead letters too: a sensor whose clock was never set
    /// (1970, 2000-01-01) would otherwise be evaluated as the past.
    Duration max_clock_behind = std::chrono::hours(24 * 30);
    /// Messages a second each source (a topic's first two levels) may send on average, and at
    /// once; beyond, they are dropped and counted. 0: no limit.
    double source_rate = 0;
    double source_burst = 0;
};

}  // namespace passerelle::config
