// SPDX-License-Identifier: Apache-2.0
// The files `passerelle acl` writes, loaded by a real Mosquitto: each landlord reads only its own
// notifications and publishes only under its own name, unknown users are refused, and the gateway
// runs the example territory's heatwave rule through them.
#include <algorithm>
#include <fstream>
#include <optional>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/core/senml.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/territory_run.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/temp_dir.h"

using namespace passerelle;           // NOLINT(google-build-using-namespace)
using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

void replace_once(std::string& text, const std::string& what, const std::string& with) {
    const auto at = text.find(what);
    REQUIRE(at != std::string::npos);
    text.replace(at, what.size(), with);
}

/// The example territory with broker accounts: the gateway, two landlords, the CCAS, the town,
/// and a radio receiver as a broker user. Each password is "secret-<user>".
/// With `certificates`, the gateway connects over TLS with them (see make_certificates).
std::string territory_with_accounts(const ScratchDir& dir,
                                    const std::optional<fs::path>& certificates = std::nullopt) {
    const std::string config = copy_example_territory(dir.path());
    const fs::path secrets = dir / "territoire" / "secrets";
    fs::create_directories(secrets);
    for (const char* user :
         {"passerelle", "habitat-sud", "logis-nord", "ccas", "ville", "recepteur"}) {
        std::ofstream(secrets / user) << "secret-" << user << "\n";
    }
    std::ifstream in(config);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    replace_once(text, "broker:\n",
                 "broker:\n  username: passerelle\n  password_file: secrets/passerelle\n");
    if (certificates) {
        replace_once(text, "  url: tcp://", "  url: ssl://");
        replace_once(text, "broker:\n",
                     fmt::format("broker:\n  tls: {{ca_file: {0}/ca.pem, cert_file: "
                                 "{0}/passerelle.pem, key_file: {0}/passerelle.key}}\n",
                                 certificates->string()));
    }
    for (const char* party : {"habitat-sud", "logis-nord", "ccas", "ville"}) {
        replace_once(text, fmt::format("  - id: {}\n", party),
                     fmt::format("  - id: {}\n    password_file: secrets/{}\n", party, party));
    }
    text +=
        "\nbroker_users:\n"
        "  - name: recepteur\n"
        "    password_file: secrets/recepteur\n"
        "    publish: [wmbus/+/telegram]\n";
    std::ofstream(config, std::ios::trunc) << text;
    return config;
}

/// deploy/make-demo-certs.sh, as the demo runs it.
void make_certificates(const fs::path& dir) {
    ChildOptions options;
    options.executable = "/bin/bash";
    options.args = {PASSERELLE_SOURCE_DIR "/deploy/make-demo-certs.sh", dir.string(), "2"};
    options.stdout_path = dir.string() + ".out";
    options.stderr_path = dir.string() + ".err";
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(30s);
    INFO((*child)->read_stderr());
    REQUIRE(status.has_value());
    REQUIRE(status->success());
}

Result<std::unique_ptr<TestClient>> connect_as(const std::string& url, const std::string& user,
                                               const std::string& password) {
    TestClientOptions options;
    options.username = user;
    options.password = password;
    return TestClient::connect(url, options);
}

std::unique_ptr<TestClient> party(const std::string& url, const std::string& user) {
    auto client = connect_as(url, user, "secret-" + user);
    INFO(user << ": " << (client ? "" : client.error().message));
    REQUIRE(client.has_value());
    return std::move(*client);
}

void publish_reading(TestClient& client, const Reading& reading, bool is_signal = false) {
    REQUIRE(client.publish(canonical_topic(reading, is_signal), encode_senml(reading)).has_value());
}

Timestamp now() {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

/// The town's heatwave level, then a vulnerable resident's dwelling above 28 °C for 2 h: the
/// example's canicule-logement rule notifies its landlord and the CCAS.
void heatwave_in_hs_a_301(TestClient& ville, TestClient& habitat) {
    const Timestamp start = now() - 3h;
    publish_reading(ville, {"ville", "canicule-level", "canicule-level", 3.0, "", start - 10min},
                    true);
    for (int hour = 0; hour <= 2; ++hour) {
        publish_reading(habitat, {"habitat-sud", "hs-a-301", "temperature", 29.5, "Cel",
                                  start + std::chrono::hours(hour)});
    }
}

bool has_topic_prefix(const std::vector<ReceivedMessage>& messages, const std::string& prefix) {
    return std::any_of(messages.begin(), messages.end(),
                       [&](const ReceivedMessage& m) { return m.topic.starts_with(prefix); });
}

}  // namespace

TEST_CASE("the generated ACL keeps each party to its own notifications and its own name", "[acl]") {
    const ScratchDir dir("passerelle-acl");
    const std::string config = territory_with_accounts(dir);
    const auto generated =
        run_passerelle({"acl", "-c", config, "--out", (dir / "broker").string()});
    INFO(generated.err);
    REQUIRE(generated.status.success());
    CHECK(generated.out.find("9 accounts") != std::string::npos);
    CHECK(generated.out.find("6 passwords") != std::string::npos);
    CHECK(generated.err.find("no broker account for stakeholder 'chaleur'") != std::string::npos);
    CHECK((fs::status(dir / "broker" / "passwd").permissions() & fs::perms::others_read) ==
          fs::perms::none);

    MosquittoOptions broker_options;
    broker_options.extra_config = {"allow_anonymous false",
                                   "password_file " + (dir / "broker" / "passwd").string(),
                                   "acl_file " + (dir / "broker" / "acl").string()};
    auto broker = MosquittoProcess::start(broker_options);
    REQUIRE(broker.has_value());
    const std::string url = (*broker)->url();

    SECTION("unknown users, wrong passwords and anonymous clients are refused") {
        CHECK_FALSE(connect_as(url, "intrus", "secret-intrus").has_value());
        CHECK_FALSE(connect_as(url, "habitat-sud", "secret-logis-nord").has_value());
        CHECK_FALSE(connect_as(url, "chaleur", "").has_value());  // no account without a secret
        CHECK_FALSE(TestClient::connect(url).has_value());
        CHECK(connect_as(url, "recepteur", "secret-recepteur").has_value());
    }

    SECTION("a landlord cannot publish under another provider's name") {
        auto habitat = party(url, "habitat-sud");
        auto logis = party(url, "logis-nord");
        REQUIRE(habitat->subscribe("telemetry/habitat-sud/#").has_value());
        // The broker drops it (MQTT 3.1.1 has no refusal to give); the landlord's own goes on.
        const Reading forged{"habitat-sud", "hs-a-302", "temperature", 35.0, "Cel", now()};
        publish_reading(*logis, forged);
        const Reading own{"habitat-sud", "hs-a-302", "temperature", 21.0, "Cel", now()};
        publish_reading(*habitat, own);
        habitat->wait_for_messages(1, 5s);
        std::this_thread::sleep_for(500ms);
        const auto all = habitat->messages();
        REQUIRE(all.size() == 1);
        CHECK(all[0].payload == encode_senml(own));
    }

    SECTION("the gateway notifies through the ACL, and each party reads only its own") {
        auto habitat = party(url, "habitat-sud");
        auto logis = party(url, "logis-nord");
        auto ccas = party(url, "ccas");
        auto ville = party(url, "ville");
        for (auto* recipient : {habitat.get(), logis.get(), ccas.get()}) {
            // notify/# as a curious party would: the broker gives it only what its ACL allows.
            static_cast<void>(recipient->subscribe("notify/#"));
        }
        REQUIRE(ccas->subscribe("passerelle/territoire-demo/status").has_value());
        auto gateway = start_gateway(dir.path(), "gateway", config, url, dir / "data");
        REQUIRE(ccas->wait_for_message(
            [](const ReceivedMessage& m) { return m.payload == "online"; }, 20s));

        heatwave_in_hs_a_301(*ville, *habitat);
        const auto landlord_copy = habitat->wait_for_message(
            [](const ReceivedMessage& m) {
                return m.topic == "notify/habitat-sud/canicule-logement/hs-a-301";
            },
            20s);
        const auto ccas_copy = ccas->wait_for_message(
            [](const ReceivedMessage& m) {
                // The CCAS's route: one notice for the building, on the office's topic or the
                // on-call desk's depending on the hour the test runs.
                return m.topic == "notify/ccas/canicule-logement/hs-bat-a" ||
                       m.topic == "notify/ccas/astreinte/canicule-logement/hs-bat-a";
            },
            20s);
        INFO(gateway->read_stderr());
        CHECK(landlord_copy.has_value());
        CHECK(ccas_copy.has_value());
        std::this_thread::sleep_for(1s);
        CHECK_FALSE(has_topic_prefix(logis->messages(), "notify/"));
        CHECK_FALSE(has_topic_prefix(habitat->messages(), "notify/ccas/"));
        CHECK_FALSE(has_topic_prefix(ccas->messages(), "notify/habitat-sud/"));
        CHECK(gateway->terminate(20s).success());
    }

    SECTION("a party acknowledges and silences its own routed notices, and only its own") {
        auto habitat = party(url, "habitat-sud");
        auto ccas = party(url, "ccas");
        auto ville = party(url, "ville");
        REQUIRE(ccas->subscribe("notify/#").has_value());
        REQUIRE(ccas->subscribe("passerelle/territoire-demo/status").has_value());
        auto gateway = start_gateway(dir.path(), "gateway", config, url, dir / "data");
        REQUIRE(ccas->wait_for_message(
            [](const ReceivedMessage& m) { return m.payload == "online"; }, 20s));
        heatwave_in_hs_a_301(*ville, *habitat);
        const auto is_group = [](const ReceivedMessage& m) {
            return m.topic.ends_with("/canicule-logement/hs-bat-a");
        };
        const auto notice = ccas->wait_for_message(is_group, 20s);
        INFO(gateway->read_stderr());
        REQUIRE(notice.has_value());
        const std::string id = nlohmann::json::parse(notice->payload)["id"];
        // The landlord cannot acknowledge the CCAS's notice: the broker drops it.
        REQUIRE(habitat
                    ->publish("notify/ccas/ack",
                              R"({"id": ")" + id + R"(", "by": "quelqu'un du bailleur"})")
                    .has_value());
        REQUIRE(ccas->publish("notify/ccas/ack", R"({"id": ")" + id + R"(", "by": "Mme Martin"})")
                    .has_value());
        const auto told = ccas->wait_for_message(
            [&](const ReceivedMessage& m) {
                return is_group(m) && m.payload.find("\"acknowledged\"") != std::string::npos;
            },
            20s);
        REQUIRE(told.has_value());
        const auto acknowledged = nlohmann::json::parse(told->payload)["acknowledged"];
        CHECK(acknowledged["by"] == "Mme Martin");

        // `passerelle silence` as the CCAS, through the broker; then listed from the store.
        const auto added = run_passerelle({"silence", "-c", config, "add", "--broker", url, "--as",
                                           "ccas", "--match", "building=ln-bat-b", "--for", "2h",
                                           "--author", "Mme Martin", "--reason", "travaux"});
        INFO(added.err);
        REQUIRE(added.status.success());
        REQUIRE(gateway->wait_for_stderr("silence ccas [", 20s));
        std::string listed;
        for (int attempt = 0; attempt < 50; ++attempt) {
            listed =
                run_passerelle({"silence", "-c", config, "list", "--data", (dir / "data").string()})
                    .out;
            if (listed.find("ln-bat-b") != std::string::npos) {
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
        CHECK(listed.find(R"({"building":"ln-bat-b"})") != std::string::npos);
        CHECK(listed.find("by Mme Martin: travaux") != std::string::npos);
        CHECK(listed.find("1 silence(s) in force") != std::string::npos);
        const std::string silence_id = listed.substr(0, 16);
        const auto expired = run_passerelle({"silence", "-c", config, "expire", silence_id,
                                             "--broker", url, "--as", "ccas", "--author", "x"});
        CHECK(expired.status.success());
        REQUIRE(gateway->wait_for_stderr("expired by x", 20s));
        CHECK(gateway->terminate(20s).success());
        const std::string log = gateway->read_stderr();
        CHECK(log.find("quelqu'un du bailleur") == std::string::npos);
        CHECK(log.find("ack ccas [" + id + "]") != std::string::npos);
    }
}

TEST_CASE("acl and simulate --as refuse a missing secret file and bad usage", "[acl]") {
    const ScratchDir dir("passerelle-acl");
    const std::string config = territory_with_accounts(dir);
    fs::remove(dir / "territoire" / "secrets" / "logis-nord");
    const auto missing = run_passerelle({"acl", "-c", config, "--out", (dir / "broker").string()});
    CHECK(missing.status.exited);
    CHECK(missing.status.code == 1);
    CHECK(missing.err.find("logis-nord: cannot read the secret file") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "broker" / "passwd"));

    const auto usage = run_passerelle({"acl", "-c", config});
    CHECK(usage.status.code == 2);

    // The simulator's --as names an account of the configuration; it never reaches a broker here.
    const auto unknown = run_passerelle({"simulate", "-c", config, "--as", "intrus", "--no-watch"});
    CHECK(unknown.status.code == 2);
    CHECK(unknown.err.find("--as 'intrus' is neither one of broker_users nor a stakeholder with a "
                           "password_file") != std::string::npos);
    const auto no_secret =
        run_passerelle({"simulate", "-c", config, "--as", "logis-nord", "--no-watch"});
    CHECK(no_secret.status.code == 2);
    CHECK(no_secret.err.find("cannot read the secret file") != std::string::npos);
}

TEST_CASE("the gateway reaches the broker over TLS with a client certificate and its password",
          "[acl][tls]") {
    const ScratchDir dir("passerelle-tls");
    make_certificates(dir / "certs");
    const std::string config = territory_with_accounts(dir, dir / "certs");
    const auto generated =
        run_passerelle({"acl", "-c", config, "--out", (dir / "broker").string()});
    INFO(generated.err);
    REQUIRE(generated.status.success());

    // The broker's first listener speaks TLS and wants a client certificate signed by the demo
    // CA, besides the password; the parties use a second, plain one on loopback.
    const auto plain_port = find_free_port();
    REQUIRE(plain_port.has_value());
    MosquittoOptions options;
    options.extra_config = {"certfile " + (dir / "certs" / "broker.pem").string(),
                            "keyfile " + (dir / "certs" / "broker.key").string(),
                            "cafile " + (dir / "certs" / "ca.pem").string(),
                            "require_certificate true",
                            fmt::format("listener {} 127.0.0.1", *plain_port),
                            "allow_anonymous false",
                            "password_file " + (dir / "broker" / "passwd").string(),
                            "acl_file " + (dir / "broker" / "acl").string()};
    auto broker = MosquittoProcess::start(options);
    REQUIRE(broker.has_value());
    for (int attempt = 0; attempt < 50 && !can_connect(*plain_port); ++attempt) {
        std::this_thread::sleep_for(100ms);  // the start waited for the first listener only
    }
    const std::string plain_url = fmt::format("tcp://127.0.0.1:{}", *plain_port);
    auto habitat = party(plain_url, "habitat-sud");
    auto ville = party(plain_url, "ville");
    REQUIRE(habitat->subscribe("notify/#").has_value());
    REQUIRE(habitat->subscribe("passerelle/territoire-demo/status").has_value());

    auto gateway =
        start_gateway(dir.path(), "gateway", config,
                      fmt::format("ssl://127.0.0.1:{}", (*broker)->port()), dir / "data");
    const auto online = habitat->wait_for_message(
        [](const ReceivedMessage& m) { return m.payload == "online"; }, 20s);
    INFO(gateway->read_stderr());
    REQUIRE(online.has_value());
    heatwave_in_hs_a_301(*ville, *habitat);
    CHECK(habitat
              ->wait_for_message(
                  [](const ReceivedMessage& m) {
                      return m.topic == "notify/habitat-sud/canicule-logement/hs-a-301";
                  },
                  20s)
              .has_value());
    const std::string log = gateway->read_stderr();
    CHECK(log.find("ssl://127.0.0.1") != std::string::npos);
    CHECK(log.find("secret-passerelle") == std::string::npos);  // the password is never logged
    CHECK(gateway->terminate(20s).success());
}
