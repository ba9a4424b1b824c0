// SPDX-License-Identifier: Apache-2.0
// PahoBus decisions and option checks that need no broker.
#include "gateway/bus/paho_bus.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <mqtt/ssl_options.h>
#include <unistd.h>

#include "gateway/bus/bus.h"

namespace passerelle::bus {
namespace {

class NullHandler final : public BusHandler {
public:
    void on_message(BusMessage) override {}
    void on_connected(bool) override {}
    void on_disconnected(std::string) override {}
    void on_delivered(std::uint64_t) override {}
};

TEST_CASE("MQTT 5 refusals that trigger the 3.1.1 fallback", "[paho_bus]") {
    CHECK(is_protocol_version_refusal(1, 0));  // 3.1.1 CONNACK: unacceptable protocol version
    CHECK(is_protocol_version_refusal(-1, 1));
    CHECK(is_protocol_version_refusal(-1, 0x84));        // MQTT 5: unsupported protocol version
    CHECK_FALSE(is_protocol_version_refusal(-1, 0x87));  // not authorized
    CHECK_FALSE(is_protocol_version_refusal(5, 0));      // 3.1.1: not authorized
    CHECK_FALSE(is_protocol_version_refusal(-1, 0));     // TCP connect failed
}

TEST_CASE("permanent and passing publish errors", "[paho_bus]") {
    CHECK(is_permanent_publish_error(-5));         // bad UTF-8
    CHECK(is_permanent_publish_error(-9));         // bad QoS
    CHECK_FALSE(is_permanent_publish_error(-3));   // disconnected
    CHECK_FALSE(is_permanent_publish_error(-4));   // Paho's in-flight cap
    CHECK_FALSE(is_permanent_publish_error(-12));  // Paho's buffer cap
}

TEST_CASE("session taken over is told apart from other DISCONNECT reasons", "[paho_bus]") {
    CHECK(is_session_taken_over(0x8E));
    CHECK_FALSE(is_session_taken_over(0x8B));  // server shutting down
    CHECK_FALSE(is_session_taken_over(0x00));
}

TEST_CASE("TLS settings verify the server and map the files", "[paho_bus]") {
    BusOptions options;
    options.client_id = "gw";
    options.url = "ssl://broker.example:8883";

    SECTION("defaults: verified against the system trust store, no client certificate") {
        const mqtt::ssl_options ssl = make_ssl_options(options);
        CHECK(ssl.get_enable_server_cert_auth());
        CHECK(ssl.get_verify());
        CHECK(ssl.get_trust_store().empty());
        CHECK(ssl.get_key_store().empty());
        CHECK(ssl.get_private_key().empty());
    }
    SECTION("files") {
        options.tls_ca_file = "/etc/passerelle/ca.pem";
        options.tls_cert_file = "/etc/passerelle/gw.pem";
        options.tls_key_file = "/etc/passerelle/gw.key";
        const mqtt::ssl_options ssl = make_ssl_options(options);
        CHECK(ssl.get_verify());
        CHECK(ssl.get_trust_store() == "/etc/passerelle/ca.pem");
        CHECK(ssl.get_key_store() == "/etc/passerelle/gw.pem");
        CHECK(ssl.get_private_key() == "/etc/passerelle/gw.key");
    }
}

/// A file that exists for the duration of a test.
class TempFile {
public:
    TempFile() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "passerelle-bus-XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        REQUIRE(fd >= 0);
        ::close(fd);
        path_ = pattern;
    }
    ~TempFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

TEST_CASE("make_paho_bus checks the TLS files and the unsubscribe filters", "[paho_bus]") {
    NullHandler handler;
    BusOptions options;
    options.client_id = "gw";
    options.url = "mqtts://broker.example";
    TempFile ca;

    SECTION("existing files with a TLS URL") {
        options.tls_ca_file = ca.path();
        options.tls_cert_file = ca.path();
        options.tls_key_file = ca.path();
        CHECK(make_paho_bus(options, handler).has_value());
    }
    SECTION("a TLS file with a plain URL") {
        options.url = "tcp://broker.example";
        options.tls_ca_file = ca.path();
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "tls_ca_file is set but the broker URL 'tcp://broker.example' is not TLS; use "
              "ssl:// or mqtts://");
    }
    SECTION("a missing file") {
        options.tls_cert_file = "/nonexistent/gw.pem";
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
        CHECK(bus.error().message ==
              "tls_cert_file '/nonexistent/gw.pem': No such file or directory");
    }
    SECTION("a directory") {
        options.tls_ca_file = std::filesystem::temp_directory_path().string();
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message == "tls_ca_file '" + options.tls_ca_file + "' is not a file");
    }
    SECTION("a key without its certificate") {
        options.tls_key_file = ca.path();
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "tls_key_file is set without tls_cert_file: a key needs its certificate");
    }
    SECTION("unsubscribe filters are validated like subscriptions") {
        options.unsubscribe = {"old/#", "a/#/b"};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
        CHECK(bus.error().message.rfind("unsubscribe: ", 0) == 0);
    }
    SECTION("an unsubscribe filter that is also subscribed is accepted") {
        options.subscriptions = {{"a/#", 1}};
        options.unsubscribe = {"a/#", "b/#", "b/#"};
        CHECK(make_paho_bus(options, handler).has_value());
    }
}

TEST_CASE("stale filters: the unsubscribe list without duplicates and wanted filters",
          "[paho_bus]") {
    BusOptions options;
    options.subscriptions = {{"a/#", 1}, {"c/+", 0}};
    options.unsubscribe = {"b/#", "a/#", "b/#", "a/+/#", "c/+"};
    // Exact strings, as the broker matches them: "a/+/#" is a filter of its own.
    CHECK(stale_filters(options) == std::vector<std::string>{"b/#", "a/+/#"});
    options.unsubscribe.clear();
    CHECK(stale_filters(options).empty());
}

TEST_CASE("make_paho_bus rejects bad options", "[paho_bus]") {
    NullHandler handler;
    BusOptions options;
    options.client_id = "gw";

    SECTION("bad URL") {
        options.url = "http://x";
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-url");
    }
    SECTION("empty client id") {
        options.client_id.clear();
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "client_id must not be empty: the broker keeps our session under it");
    }
    SECTION("bad subscription filter") {
        options.subscriptions = {{"a/#/b", 1}};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
    }
    SECTION("wildcard in the will topic") {
        options.will = BusMessage{"status/+", "offline", 1, true};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().code == "bus.bad-options");
    }
    SECTION("back-off min above max") {
        options.reconnect_min = std::chrono::milliseconds{5000};
        options.reconnect_max = std::chrono::milliseconds{1000};
        auto bus = make_paho_bus(options, handler);
        REQUIRE_FALSE(bus.has_value());
        CHECK(bus.error().message ==
              "reconnect back-off must satisfy 0 < min <= max (min 5000 ms, max 1000 ms)");
    }
}

TEST_CASE("an unstarted bus queues, validates and stops quietly", "[paho_bus]") {
    NullHandler handler;
    BusOptions options;
    options.client_id = "gw";
    options.max_queued = 2;
    auto made = make_paho_bus(options, handler);
    REQUIRE(made.has_value());
    Bus& bus = **made;
    CHECK_FALSE(bus.connected());
    CHECK(bus.publish({1, "a/b", "x", 1, false}).has_value());
    CHECK(bus.publish({2, "a/b", "y", 1, false}).has_value());
    const Status full = bus.publish({3, "a/b", "z", 1, false});
    REQUIRE_FALSE(full.has_value());
    CHECK(full.error().code == "bus.queue-full");
    const Status bad_topic = bus.publish({4, "a/+", "z", 1, false});
    REQUIRE_FALSE(bad_topic.has_value());
    CHECK(bad_topic.error().code == "bus.bad-message");
    const Status bad_qos = bus.publish({5, "a/b", "z", 3, false});
    REQUIRE_FALSE(bad_qos.has_value());
    CHECK(bad_qos.error().message == "QoS 3 for 'a/b' is not 0, 1 or 2");
    CHECK(bus.stats().queued == 2);
    CHECK(bus.stats().dropped == 1);
    bus.stop(std::chrono::milliseconds{0}, std::nullopt);
    bus.stop(std::chrono::milliseconds{0}, std::nullopt);  // idempotent
    const Status after = bus.publish({6, "a/b", "z", 1, false});
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().code == "bus.stopped");
    const Status restart = bus.start();
    REQUIRE_FALSE(restart.has_value());
    CHECK(restart.error().code == "bus.stopped");
}

}  // namespace
}  // namespace passerelle::bus
