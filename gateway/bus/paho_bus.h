// SPDX-License-Identifier: Apache-2.0
// The Paho MQTT C++ implementation of Bus; the only code of the gateway that includes <mqtt/...>.
#pragma once

#include <string>
#include <vector>

// PahoBus itself lives in paho_bus.cc so that no Paho type leaks into other translation units; it
// is created through make_paho_bus (bus.h). Declared here: its pure decisions, for unit tests.

namespace mqtt {
class ssl_options;
}  // namespace mqtt

namespace passerelle::bus {

struct BusOptions;

/// Whether a failed CONNECT means "this broker does not speak MQTT 5" (3.1.1 CONNACK return code 1,
/// or MQTT 5 reason code 0x84 Unsupported Protocol Version), so that the bus retries with 3.1.1.
bool is_protocol_version_refusal(int return_code, int reason_code);

/// Whether a Paho error code from publish() is final for that message (malformed topic, bad QoS...)
/// rather than a passing condition (disconnected, Paho's own buffers full) worth retrying.
bool is_permanent_publish_error(int return_code);

/// Whether a DISCONNECT from the broker means another client connected with our client id (MQTT 5
/// reason code 0x8E Session taken over).
bool is_session_taken_over(int reason_code);

/// The filters a resumed session is unsubscribed from: `options.unsubscribe` in order, without
/// duplicates, and without the filters also in `options.subscriptions` (exact strings).
std::vector<std::string> stale_filters(const BusOptions& options);

/// The TLS settings for a TLS URL: the server's certificate chain and host name verified (Paho C's
/// defaults check the chain only, so any certificate of a trusted CA would do), `tls_ca_file` as
/// trust store (empty: the system's), `tls_cert_file` / `tls_key_file` as client certificate and
/// key.
mqtt::ssl_options make_ssl_options(const BusOptions& options);

}  // namespace passerelle::bus
