// SPDX-License-Identifier: Apache-2.0
// Parses the broker address written in configuration into the form Paho expects.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::bus {

struct BrokerUrl {
    bool tls = false;
    std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
    std::uint16_t port = 0;

    /// "tcp://host:port" or "ssl://host:port" (brackets around IPv6 addresses): what Paho accepts.
    std::string paho_uri() const;
};

inline constexpr std::uint16_t kDefaultMqttPort = 1883;
inline constexpr std::uint16_t kDefaultMqttTlsPort = 8883;

/// Accepts `tcp://`, `mqtt://` (plain), `ssl://`, `mqtts://` (TLS), then `host`, `host:port`,
/// `[v6]` or `[v6]:port`, and an optional trailing `/`. Errors (code "bus.bad-url"), for example:
///   "broker URL is empty"
///   "broker URL 'http://x' has an unsupported scheme 'http'; use tcp://, mqtt://, ssl:// or
///   mqtts://" "broker URL 'x:1883' has no scheme; write tcp://x:1883" "broker URL 'tcp://' has no
///   host" "broker URL 'tcp://h:99999' has an invalid port '99999' (1-65535)" "broker URL
///   'tcp://h/x' has a path; only host and port are allowed"
Result<BrokerUrl> parse_broker_url(std::string_view url);

}  // namespace passerelle::bus
