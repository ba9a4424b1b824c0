// SPDX-License-Identifier: Apache-2.0
// A small synchronous MQTT client for tests: connect, subscribe, publish QoS 1, wait for messages.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/result.h"

namespace mqtt {
class async_client;
}  // namespace mqtt

namespace passerelle::testing {

struct ReceivedMessage {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retained = false;
    /// DUP flag: the broker sends it again, not having read our acknowledgement of it.
    bool duplicate = false;
};

struct TestClientOptions {
    std::string client_id;  // empty: a unique one
    bool clean_session = true;
    /// A Will for the test client itself (empty topic: none).
    std::string will_topic;
    std::string will_payload;
    bool will_retained = false;
    std::string username;
    std::string password;
    std::chrono::milliseconds timeout{5000};  // bound of every blocking call
};

/// MQTT 3.1.1 on Paho, deliberately simpler than PahoBus so that the two do not share mistakes.
/// Every call blocks up to `timeout`; received messages are collected in arrival order.
class TestClient {
public:
    /// @return "test-client.connect" with Paho's message when the broker does not accept us.
    static Result<std::unique_ptr<TestClient>> connect(const std::string& url,
                                                       TestClientOptions options = {});
    ~TestClient();
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    /// Waits for the SUBACK; "test-client.subscribe" on failure or refusal.
    Status subscribe(const std::string& filter, int qos = 1);
    /// Waits for the PUBACK (QoS 1) or for the write (QoS 0); "test-client.publish" on failure.
    Status publish(const std::string& topic, const std::string& payload, int qos = 1,
                   bool retained = false);
    /// Publishes and returns once the request is queued, without waiting (for load).
    Status publish_async(const std::string& topic, const std::string& payload, int qos = 1);
    /// Clean DISCONNECT; "test-client.disconnect" on failure.
    Status disconnect();

    /// Waits until at least `count` messages were received (in total, since the last clear()), or
    /// until `timeout`; returns a copy of all of them either way: check the size.
    std::vector<ReceivedMessage> wait_for_messages(std::size_t count,
                                                   std::chrono::milliseconds timeout);
    /// The first message received satisfying `match`, waiting up to `timeout` for it.
    std::optional<ReceivedMessage> wait_for_message(
        const std::function<bool(const ReceivedMessage&)>& match,
        std::chrono::milliseconds timeout);
    std::vector<ReceivedMessage> messages() const;
    std::size_t message_count() const;
    void clear();
    bool connected() const;

private:
    TestClient(std::unique_ptr<mqtt::async_client> client, TestClientOptions options);
    void on_message(ReceivedMessage message);

    std::unique_ptr<mqtt::async_client> client_;
    TestClientOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<ReceivedMessage> messages_;
};

}  // namespace passerelle::testing
