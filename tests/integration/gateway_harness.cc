// SPDX-License-Identifier: Apache-2.0
#include "tests/integration/gateway_harness.h"

#include <fmt/format.h>

#include <fstream>

#include "gateway/core/clock.h"

namespace passerelle::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHarnessConfig = std::string(R"(instance: e2e
stats_interval: 200ms
broker: {url: "tcp://127.0.0.1:1", connect_timeout: 20s}
stakeholders:
  - {id: ville, kind: ville}
  - {id: ccas, kind: ccas}
  - {id: hs, kind: bailleur}
)") + kTestAgreements + R"(entities: entities.yaml
rules: rules/*.yaml
)";

constexpr const char* kEntities = R"(attributes:
  vulnerable: {owner: ccas, personal: true}
entities:
  - {id: d-1, type: dwelling, provider: hs, attributes: {vulnerable: true}}
  - {id: d-2, type: dwelling, provider: hs}
)";

constexpr const char* kRules = R"(version: 1
rules:
  - id: chaud
    listen: telemetry/+/+/temperature
    entities: {type: dwelling}
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    for: 10min
    clear: value < 26.5
    actions:
      - notify: ccas
        when: entity.vulnerable
        message: "Logement {{entity}} : {{value}} °C"
      - notify: "{{provider}}"
        message: "Logement {{entity}} : {{value}} °C"
)";

void write(const std::filesystem::path& path, const char* text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

}  // namespace

GatewayHarness::GatewayHarness(std::vector<std::string> broker_config) {
    char pattern[] = "/tmp/passerelle-e2e.XXXXXX";
    dir_ = ::mkdtemp(pattern);
    write_territory();
    MosquittoOptions options;
    options.extra_config = std::move(broker_config);
    auto broker = MosquittoProcess::start(std::move(options));
    if (!broker) {
        FAIL(broker.error().message);
    }
    broker_ = std::move(*broker);
    reconnect_clients();
    // Readings an hour old: rule time comes from them, and the wall clock is ahead of them.
    start_ = std::chrono::floor<std::chrono::minutes>(SystemClock().now()) - 1h;
}

GatewayHarness::~GatewayHarness() {
    if (gateway_) {
        gateway_->terminate();
    }
    observer_.reset();
    sensor_.reset();
    broker_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void GatewayHarness::reconnect_clients() {
    observer_.reset();
    sensor_.reset();
    auto observer = TestClient::connect(broker_->url());
    auto sensor = TestClient::connect(broker_->url());
    if (!observer || !sensor) {
        FAIL("test clients cannot connect");
    }
    observer_ = std::move(*observer);
    sensor_ = std::move(*sensor);
    REQUIRE(observer_->subscribe("notify/#").has_value());
    REQUIRE(observer_->subscribe("passerelle/e2e/#").has_value());
}

std::filesystem::path GatewayHarness::write_file(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    write(path, text.c_str());
    return path;
}

std::unique_ptr<TestClient> GatewayHarness::connector_listener() {
    auto client = TestClient::connect(broker_->url());
    REQUIRE(client.has_value());
    REQUIRE((*client)->subscribe("telemetry/#").has_value());
    REQUIRE((*client)->subscribe("device/#").has_value());
    return std::move(*client);
}

std::optional<ReceivedMessage> wait_for_topic(TestClient& client, const std::string& topic) {
    return client.wait_for_message([&](const ReceivedMessage& m) { return m.topic == topic; }, 10s);
}

void GatewayHarness::append_config(const std::string& lines) {
    std::ofstream(dir_ / "passerelle.yaml", std::ios::app) << lines;
}

void GatewayHarness::write_territory() {
    write(dir_ / "passerelle.yaml", kHarnessConfig.c_str());
    write(dir_ / "entities.yaml", kEntities);
    write(dir_ / "rules" / "chaud.yaml", kRules);
}

void GatewayHarness::start_gateway(const std::string& log_level) {
    observer_->clear();
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = {"--log-level", log_level};
    options.args.insert(options.args.end(),
                        {"run", "-c", (dir_ / "passerelle.yaml").string(), "--broker",
                         broker_->url(), "--data", (dir_ / "data").string()});
    options.stdout_path = dir_ / "gateway.out";
    options.stderr_path = dir_ / "gateway.log";
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    gateway_ = std::move(*child);
    const auto online = observer_->wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/status" && m.payload == "online";
        },
        20s);
    INFO(gateway_log());
    REQUIRE(online.has_value());
}

ExitStatus GatewayHarness::stop_gateway() {
    const ExitStatus status = gateway_->terminate(10s);
    return status;
}

void GatewayHarness::publish_temperature(const std::string& dwelling, int minutes, double celsius) {
    const Reading reading{"hs", dwelling, "temperature", celsius, "Cel",
                          start_ + std::chrono::minutes(minutes)};
    REQUIRE(sensor_->publish(canonical_topic(reading), encode_senml(reading)).has_value());
}

void GatewayHarness::publish_level(int minutes, double level) {
    const Reading reading{"ville", "canicule-level", "canicule-level", level, "",
                          start_ + std::chrono::minutes(minutes)};
    REQUIRE(sensor_->publish(canonical_topic(reading, true), encode_senml(reading)).has_value());
}

void GatewayHarness::publish_raw(const std::string& topic, const std::string& payload) {
    REQUIRE(sensor_->publish(topic, payload).has_value());
}

void GatewayHarness::sync() {
    const std::string marker = fmt::format("sync-{}", ++sync_count_);
    publish_raw("telemetry/hs/" + marker + "/temperature", "not json");
    const auto seen = observer_->wait_for_message(
        [&marker](const ReceivedMessage& m) {
            return m.topic == "passerelle/e2e/deadletter" &&
                   m.payload.find(marker) != std::string::npos;
        },
        20s);
    INFO(gateway_log());
    REQUIRE(seen.has_value());
}

std::vector<ReceivedMessage> GatewayHarness::notifications() const {
    std::vector<ReceivedMessage> out;
    for (auto& m : observer_->messages()) {
        if (m.topic.rfind("notify/", 0) == 0) {
            out.push_back(m);
        }
    }
    return out;
}

std::vector<ReceivedMessage> GatewayHarness::dead_letters() const {
    std::vector<ReceivedMessage> out;
    for (auto& m : observer_->messages()) {
        if (m.topic == "passerelle/e2e/deadletter") {
            out.push_back(m);
        }
    }
    return out;
}

std::string GatewayHarness::gateway_log() const { return read_file(dir_ / "gateway.log"); }

}  // namespace passerelle::testing
