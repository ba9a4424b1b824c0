// SPDX-License-Identifier: Apache-2.0
// Runs the real `passerelle` binary against a private Mosquitto, on a small territory of its own.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "gateway/core/senml.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/test_client.h"

namespace passerelle::testing {

/// The sharing agreements the harness's rules need: the town's signals to the CCAS and the
/// landlord, the landlord's temperatures and vulnerable flag to the CCAS, and its temperatures to
/// the town, whose derived signals they feed.
inline constexpr const char* kTestAgreements = R"(agreements:
  - {id: signaux-ville, from: ville, to: [ccas, hs], data: "*", purpose: signaux de la ville}
  - {id: canicule-ccas, from: hs, to: ccas, data: [temperature, vulnerable], purpose: plan canicule}
  - {id: surchauffes, from: hs, to: ville, data: [temperature], purpose: signaux de surchauffe}
)";

/// A territory with one landlord (`hs`), the CCAS and the town; dwelling `d-1` is vulnerable,
/// `d-2` is not. The rule fires at 28 °C or more for 10 min while the heatwave level is 3 or more.
class GatewayHarness {
public:
    /// `broker_config`: extra lines for the broker's configuration (ACLs…).
    explicit GatewayHarness(std::vector<std::string> broker_config = {});
    ~GatewayHarness();

    /// Starts `passerelle run` and waits for its retained status `online`.
    void start_gateway(const std::string& log_level = "info");
    /// SIGTERM, and the exit status.
    ExitStatus stop_gateway();
    /// Publishes a canonical reading, `minutes` after the harness's start time.
    void publish_temperature(const std::string& dwelling, int minutes, double celsius);
    void publish_level(int minutes, double level);
    void publish_raw(const std::string& topic, const std::string& payload);
    /// A new client subscribed to what the connectors publish: telemetry/# and device/#.
    std::unique_ptr<TestClient> connector_listener();
    /// Adds lines to passerelle.yaml (before start_gateway), e.g. a `limits:` section.
    void append_config(const std::string& lines);
    /// Writes a file in the harness's folder and returns its path.
    std::filesystem::path write_file(const std::string& name, const std::string& text);
    /// Publishes a malformed payload and waits for its dead letter: everything published before it
    /// has then been evaluated, since the gateway handles messages in order.
    void sync();
    /// New test clients, for after a broker restart (they do not reconnect by themselves).
    void reconnect_clients();

    /// The harness's time `minutes` after its start, as notifications print it.
    std::string time_at(int minutes) const {
        return format_utc(start_ + std::chrono::minutes(minutes));
    }
    MosquittoProcess& broker() { return *broker_; }
    TestClient& observer() { return *observer_; }
    ChildProcess& gateway() { return *gateway_; }
    /// Notifications received so far (topics notify/...).
    std::vector<ReceivedMessage> notifications() const;
    std::vector<ReceivedMessage> dead_letters() const;
    std::string gateway_log() const;
    /// Where `passerelle run` keeps its store.
    std::filesystem::path data_dir() const { return dir_ / "data"; }

private:
    void write_territory();

    std::filesystem::path dir_;
    std::unique_ptr<MosquittoProcess> broker_;
    std::unique_ptr<TestClient> observer_;
    std::unique_ptr<TestClient> sensor_;
    std::unique_ptr<ChildProcess> gateway_;
    Timestamp start_;
    int sync_count_ = 0;
};

/// The first message `client` received on `topic`, waiting up to 10 s for it.
std::optional<ReceivedMessage> wait_for_topic(TestClient& client, const std::string& topic);

}  // namespace passerelle::testing
