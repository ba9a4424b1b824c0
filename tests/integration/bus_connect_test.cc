// SPDX-License-Identifier: Apache-2.0
// PahoBus against a real Mosquitto: connect, birth, subscriptions, stop and last words, TLS.
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "tests/support/bus_test_helpers.h"
#include "tests/support/child_process.h"

namespace passerelle::testing {
namespace {

bool payload_is(const ReceivedMessage& message, const std::string& payload) {
    return message.payload == payload;
}

/// The openssl command on PATH, if any.
std::optional<std::filesystem::path> find_openssl() {
    const char* path = std::getenv("PATH");
    std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
    while (!dirs.empty()) {
        const std::size_t colon = dirs.find(':');
        const std::filesystem::path candidate =
            std::filesystem::path(dirs.substr(0, colon)) / "openssl";
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    }
    return std::nullopt;
}

/// A temporary directory for certificates, deleted with it.
class CertificateDir {
public:
    CertificateDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "passerelle-tls-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~CertificateDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    CertificateDir(const CertificateDir&) = delete;
    CertificateDir& operator=(const CertificateDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

    /// A self-signed certificate `<name>.pem` with key `<name>.key`, valid for `san` (e.g.
    /// "IP:127.0.0.1"). It is its own CA: the bus trusts it through tls_ca_file.
    void make_certificate(const std::filesystem::path& openssl, const std::string& name,
                          const std::string& san) {
        ChildOptions child;
        child.executable = openssl;
        // EC keys: generated in milliseconds, where RSA takes noticeable time on a loaded CI box.
        child.args = {"req",
                      "-x509",
                      "-newkey",
                      "ec",
                      "-pkeyopt",
                      "ec_paramgen_curve:prime256v1",
                      "-nodes",
                      "-days",
                      "2",
                      "-subj",
                      "/CN=" + name,
                      "-addext",
                      "subjectAltName=" + san,
                      "-keyout",
                      (path_ / (name + ".key")).string(),
                      "-out",
                      (path_ / (name + ".pem")).string()};
        child.stderr_path = path_ / (name + ".log");
        auto process = ChildProcess::spawn(std::move(child));
        REQUIRE(process.has_value());
        const auto status = (*process)->wait_for(kEventTimeout);
        INFO("openssl: " << (*process)->read_stderr());
        REQUIRE(status.has_value());
        REQUIRE(status->success());
    }

private:
    std::filesystem::path path_;
};

/// A broker whose only listener speaks TLS with the certificate `name` of `certificates`.
std::unique_ptr<MosquittoProcess> start_tls_broker(const CertificateDir& certificates,
                                                   const std::string& name) {
    MosquittoOptions options;
    // These apply to the listener written before them, the broker's only one.
    options.extra_config = {"certfile " + (certificates.path() / (name + ".pem")).string(),
                            "keyfile " + (certificates.path() / (name + ".key")).string()};
    return start_broker(std::move(options));
}

std::string tls_url(const MosquittoProcess& broker) {
    return "ssl://127.0.0.1:" + std::to_string(broker.port());
}

/// Waits until the bus has failed to connect `count` times.
bool wait_for_connect_failures(bus::Bus& bus, std::uint64_t count) {
    const auto deadline = std::chrono::steady_clock::now() + kEventTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (bus.stats().connect_failures >= count) {
            return true;
        }
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

TEST_CASE("bus connects and publishes its birth message retained", "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-birth");
    options.birth = bus::BusMessage{"passerelle/gw/status", "online", 1, true};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));
    CHECK(bus->connected());
    CHECK_FALSE(handler.last_session_present());  // a fresh broker has no session for us
    const Status again = bus->start();
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == "bus.already-started");

    // A client arriving later gets the birth as the retained status.
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/status").has_value());
    const auto messages = watcher->wait_for_messages(1, kEventTimeout);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "online");
    CHECK(messages[0].retained);
    const bus::BusStats stats = bus->stats();
    CHECK(stats.connects == 1);
    CHECK(stats.reconnects == 0);
}

TEST_CASE("bus receives QoS 1 messages on its subscriptions, in order", "[bus]") {
    auto broker = start_broker();
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-receive");
    options.subscriptions = {{"in/#", 1}, {"other/+/x", 0}};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(handler.wait_for_connects(1, kEventTimeout));

    auto sender = connect_client(*broker);
    wait_until_subscribed(*sender, handler, "in/probe");
    const std::size_t probes = handler.messages().size();
    constexpr int kCount = 200;
    for (int i = 0; i < kCount; ++i) {
        REQUIRE(sender->publish("in/sensor/" + std::to_string(i % 3), std::to_string(i), 1)
                    .has_value());
    }
    REQUIRE(sender->publish("other/a/x", "qos0", 0).has_value());
    const auto messages = handler.wait_for_messages(probes + kCount + 1, kEventTimeout);
    REQUIRE(messages.size() == probes + kCount + 1);
    for (int i = 0; i < kCount; ++i) {
        const bus::BusMessage& message = messages[probes + static_cast<std::size_t>(i)];
        CHECK(message.topic == "in/sensor/" + std::to_string(i % 3));
        CHECK(message.payload == std::to_string(i));
        CHECK(message.qos == 1);
        CHECK_FALSE(message.retained);
    }
    CHECK(messages.back().topic == "other/a/x");
    CHECK(messages.back().qos == 0);
    CHECK(bus->stats().received == messages.size());
}

TEST_CASE("bus delivers retained messages flagged as retained", "[bus]") {
    auto broker = start_broker();
    auto sender = connect_client(*broker);
    REQUIRE(sender->publish("config/gw", "{\"a\":1}", 1, true).has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-retained");
    options.subscriptions = {{"config/#", 1}};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    const auto messages = handler.wait_for_messages(1, kEventTimeout);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "{\"a\":1}");
    CHECK(messages[0].retained);
}

TEST_CASE("stop drains the queue, publishes last words and suppresses the Will", "[bus]") {
    auto broker = start_broker();
    auto watcher = connect_client(*broker);
    REQUIRE(watcher->subscribe("passerelle/gw/#").has_value());
    RecordingBusHandler handler;
    auto options = bus_options(*broker, "gw-stop");
    options.birth = bus::BusMessage{"passerelle/gw/status", "online", 1, true};
    options.will = bus::BusMessage{"passerelle/gw/status", "offline", 1, true};
    auto bus = make_bus(options, handler);
    REQUIRE(bus->start().has_value());
    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "online"); },
                                      kEventTimeout));
    for (std::uint64_t id = 1; id <= 500; ++id) {
        REQUIRE(bus->publish({id, "passerelle/gw/data", std::to_string(id), 1, false}).has_value());
    }
    bus->stop(10s, bus::BusMessage{"passerelle/gw/status", "stopped", 1, true});
    // Everything queued before stop() was acknowledged before the last words.
    CHECK(handler.delivered().size() == 500);
    CHECK_FALSE(bus->connected());
    const Status refused = bus->publish({501, "passerelle/gw/data", "late", 1, false});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == "bus.stopped");
    bus->stop(1s, std::nullopt);  // a second stop is harmless

    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "stopped"); },
                                      kEventTimeout));
    // The broker handles one connection's packets in order and the bus's DISCONNECT was sent
    // before stop() returned: once this sentinel is back, a Will would have been seen.
    REQUIRE(watcher->publish("passerelle/gw/sentinel", "end", 1).has_value());
    REQUIRE(watcher->wait_for_message([](const auto& m) { return payload_is(m, "end"); },
                                      kEventTimeout));
    for (const ReceivedMessage& message : watcher->messages()) {
        CHECK(message.payload != "offline");
    }
    auto late = connect_client(*broker);
    REQUIRE(late->subscribe("passerelle/gw/status").has_value());
    const auto retained = late->wait_for_messages(1, kEventTimeout);
    REQUIRE(retained.size() == 1);
    CHECK(retained[0].payload == "stopped");
    REQUIRE(handler.disconnect_reasons().size() == 1);
    CHECK(handler.disconnect_reasons()[0] == "stopped");
}

TEST_CASE("TLS: the broker's certificate is verified, host name included", "[bus]") {
    const auto openssl = find_openssl();
    if (!openssl) {
        WARN("no openssl command on PATH: TLS test skipped");
        return;
    }
    CertificateDir certificates;
    certificates.make_certificate(*openssl, "loopback", "IP:127.0.0.1");
    certificates.make_certificate(*openssl, "elsewhere", "DNS:broker.elsewhere.example");
    const std::string loopback_ca = (certificates.path() / "loopback.pem").string();
    const std::string elsewhere_ca = (certificates.path() / "elsewhere.pem").string();

    SECTION("a certificate of the trusted CA for this host: connected, both directions work") {
        auto broker = start_tls_broker(certificates, "loopback");
        INFO(broker->log());
        RecordingBusHandler handler;
        auto options = bus_options(*broker, "gw-tls");
        options.url = tls_url(*broker);
        options.tls_ca_file = loopback_ca;
        options.subscriptions = {{"tls/#", 1}};
        auto bus = make_bus(options, handler);
        REQUIRE(bus->start().has_value());
        REQUIRE(handler.wait_for_connects(1, kEventTimeout));
        // The bus hears itself: published and received over TLS.
        const auto deadline = std::chrono::steady_clock::now() + kEventTimeout;
        std::uint64_t id = 0;
        while (handler.messages().empty() && std::chrono::steady_clock::now() < deadline) {
            REQUIRE(bus->publish({++id, "tls/echo", "over tls", 1, false}).has_value());
            handler.wait_for_messages(1, 200ms);
        }
        const auto messages = handler.messages();
        REQUIRE_FALSE(messages.empty());
        CHECK(messages[0].payload == "over tls");
    }
    SECTION("a certificate the system trust store does not know: refused") {
        auto broker = start_tls_broker(certificates, "loopback");
        RecordingBusHandler handler;
        auto options = bus_options(*broker, "gw-tls-untrusted");
        options.url = tls_url(*broker);
        options.connect_timeout = std::chrono::seconds{5};
        auto bus = make_bus(options, handler);
        REQUIRE(bus->start().has_value());
        REQUIRE(wait_for_connect_failures(*bus, 2));
        CHECK(handler.connects() == 0);
        CHECK(bus->stats().connects == 0);
    }
    SECTION("a trusted certificate for another host name: refused") {
        // Paho C's default (verify = 0) would accept this one: the chain is trusted.
        auto broker = start_tls_broker(certificates, "elsewhere");
        RecordingBusHandler handler;
        auto options = bus_options(*broker, "gw-tls-wrong-host");
        options.url = tls_url(*broker);
        options.tls_ca_file = elsewhere_ca;
        options.connect_timeout = std::chrono::seconds{5};
        auto bus = make_bus(options, handler);
        REQUIRE(bus->start().has_value());
        REQUIRE(wait_for_connect_failures(*bus, 2));
        CHECK(handler.connects() == 0);
        CHECK(bus->stats().connects == 0);
    }
}

}  // namespace
}  // namespace passerelle::testing
