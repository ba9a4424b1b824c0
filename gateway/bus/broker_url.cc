// SPDX-License-Identifier: Apache-2.0
// Broker URL parsing, strict so that a configuration typo fails at load time, clearly.
#include "gateway/bus/broker_url.h"

#include <charconv>

#include <fmt/format.h>

namespace passerelle::bus {
namespace {

Error bad_url(std::string message) {
    return make_error("bus.bad-url", std::move(message));
}

}  // namespace

std::string BrokerUrl::paho_uri() const {
    const bool is_v6 = host.find(':') != std::string::npos;
    return fmt::format("{}://{}{}{}:{}", tls ? "ssl" : "tcp", is_v6 ? "[" : "", host,
                       is_v6 ? "]" : "", port);
}

Result<BrokerUrl> parse_broker_url(std::string_view url) {
    if (url.empty()) {
        return bad_url("broker URL is empty");
    }
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return bad_url(fmt::format("broker URL '{}' has no scheme; write tcp://{}", url, url));
    }
    const std::string_view scheme = url.substr(0, scheme_end);
    BrokerUrl result;
    if (scheme == "tcp" || scheme == "mqtt") {
        result.tls = false;
    } else if (scheme == "ssl" || scheme == "mqtts") {
        result.tls = true;
    } else {
        return bad_url(
            fmt::format("broker URL '{}' has an unsupported scheme '{}'; use tcp://, mqtt://, "
                        "ssl:// or mqtts://",
                        url, scheme));
    }

    std::string_view rest = url.substr(scheme_end + 3);
    // A single trailing slash is what people paste from browsers; anything after it is a path.
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    if (rest.find('/') != std::string_view::npos) {
        return bad_url(
            fmt::format("broker URL '{}' has a path; only host and port are allowed", url));
    }
    if (rest.find('@') != std::string_view::npos) {
        return bad_url(fmt::format(
            "broker URL '{}' contains credentials; set username and password separately", url));
    }

    std::string_view host;
    std::string_view port_text;
    bool has_port = false;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return bad_url(fmt::format("broker URL '{}' has an unclosed '['", url));
        }
        host = rest.substr(1, close - 1);
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return bad_url(fmt::format("broker URL '{}' has text after ']'", url));
            }
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        const auto colon = rest.find(':');
        if (colon != std::string_view::npos &&
            rest.find(':', colon + 1) != std::string_view::npos) {
            return bad_url(fmt::format(
                "broker URL '{}' has an IPv6 address without brackets; write [address]:port", url));
        }
        host = rest.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = rest.substr(colon + 1);
        }
    }
    if (host.empty()) {
        return bad_url(fmt::format("broker URL '{}' has no host", url));
    }
    result.host = std::string(host);

    if (!has_port) {
        result.port = result.tls ? kDefaultMqttTlsPort : kDefaultMqttPort;
        return result;
    }
    unsigned value = 0;
    const char* const first = port_text.data();
    const char* const last = first + port_text.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (port_text.empty() || ec != std::errc{} || end != last || value == 0 || value > 65535) {
        return bad_url(
            fmt::format("broker URL '{}' has an invalid port '{}' (1-65535)", url, port_text));
    }
    result.port = static_cast<std::uint16_t>(value);
    return result;
}

}  // namespace passerelle::bus
