// SPDX-License-Identifier: Apache-2.0
// Broker URL parsing: accepted forms, defaults, and the exact error messages.
#include "gateway/bus/broker_url.h"

#include <catch2/catch.hpp>

namespace passerelle::bus {
namespace {

BrokerUrl parse_ok(std::string_view text) {
    Result<BrokerUrl> url = parse_broker_url(text);
    INFO(text);
    REQUIRE(url.has_value());
    return *url;
}

std::string parse_error(std::string_view text) {
    Result<BrokerUrl> url = parse_broker_url(text);
    INFO(text);
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().code == "bus.bad-url");
    return url.error().message;
}

TEST_CASE("plain schemes and default port", "[broker_url]") {
    const BrokerUrl tcp = parse_ok("tcp://127.0.0.1:1883");
    CHECK_FALSE(tcp.tls);
    CHECK(tcp.host == "127.0.0.1");
    CHECK(tcp.port == 1883);
    CHECK(tcp.paho_uri() == "tcp://127.0.0.1:1883");

    const BrokerUrl mqtt = parse_ok("mqtt://broker.local");
    CHECK_FALSE(mqtt.tls);
    CHECK(mqtt.port == 1883);
    CHECK(mqtt.paho_uri() == "tcp://broker.local:1883");

    CHECK(parse_ok("tcp://h:1884/").paho_uri() == "tcp://h:1884");
}

TEST_CASE("TLS schemes default to 8883", "[broker_url]") {
    const BrokerUrl ssl = parse_ok("ssl://broker.example.org");
    CHECK(ssl.tls);
    CHECK(ssl.port == 8883);
    CHECK(ssl.paho_uri() == "ssl://broker.example.org:8883");
    const BrokerUrl mqtts = parse_ok("mqtts://broker.example.org:9883");
    CHECK(mqtts.tls);
    CHECK(mqtts.paho_uri() == "ssl://broker.example.org:9883");
}

TEST_CASE("IPv6 addresses need brackets", "[broker_url]") {
    const BrokerUrl v6 = parse_ok("tcp://[::1]:1884");
    CHECK(v6.host == "::1");
    CHECK(v6.port == 1884);
    CHECK(v6.paho_uri() == "tcp://[::1]:1884");
    CHECK(parse_ok("mqtts://[fe80::1]").port == 8883);
    CHECK(parse_error("tcp://::1:1883") ==
          "broker URL 'tcp://::1:1883' has an IPv6 address without brackets; write [address]:port");
    CHECK(parse_error("tcp://[::1") == "broker URL 'tcp://[::1' has an unclosed '['");
    CHECK(parse_error("tcp://[::1]x") == "broker URL 'tcp://[::1]x' has text after ']'");
}

TEST_CASE("errors say what is wrong", "[broker_url]") {
    CHECK(parse_error("") == "broker URL is empty");
    CHECK(parse_error("localhost:1883") ==
          "broker URL 'localhost:1883' has no scheme; write tcp://localhost:1883");
    CHECK(parse_error("http://x") ==
          "broker URL 'http://x' has an unsupported scheme 'http'; use tcp://, mqtt://, ssl:// or "
          "mqtts://");
    CHECK(parse_error("ws://x:80") ==
          "broker URL 'ws://x:80' has an unsupported scheme 'ws'; use tcp://, mqtt://, ssl:// or "
          "mqtts://");
    CHECK(parse_error("tcp://") == "broker URL 'tcp://' has no host");
    CHECK(parse_error("tcp://:1883") == "broker URL 'tcp://:1883' has no host");
    CHECK(parse_error("tcp://h:99999") ==
          "broker URL 'tcp://h:99999' has an invalid port '99999' (1-65535)");
    CHECK(parse_error("tcp://h:0") == "broker URL 'tcp://h:0' has an invalid port '0' (1-65535)");
    CHECK(parse_error("tcp://h:") == "broker URL 'tcp://h:' has an invalid port '' (1-65535)");
    CHECK(parse_error("tcp://h:18a3") ==
          "broker URL 'tcp://h:18a3' has an invalid port '18a3' (1-65535)");
    CHECK(parse_error("tcp://h:-1") ==
          "broker URL 'tcp://h:-1' has an invalid port '-1' (1-65535)");
    CHECK(parse_error("tcp://h/x") ==
          "broker URL 'tcp://h/x' has a path; only host and port are allowed");
    CHECK(
        parse_error("tcp://user:pw@h") ==
        "broker URL 'tcp://user:pw@h' contains credentials; set username and password separately");
}

}  // namespace
}  // namespace passerelle::bus
