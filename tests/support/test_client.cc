// SPDX-License-Identifier: Apache-2.0
// The synchronous MQTT test client, on Paho's async client with bounded token waits.
#include "tests/support/test_client.h"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>
#include <mqtt/async_client.h>
#include <unistd.h>

namespace passerelle::testing {
namespace {

std::string unique_client_id() {
    static std::atomic<int> counter{0};
    return fmt::format("test-{}-{}", ::getpid(), counter.fetch_add(1));
}

/// Waits for a token; an error (timeout or failure) as a message.
std::optional<std::string> wait(const mqtt::token_ptr& token, std::chrono::milliseconds timeout) {
    try {
        if (!token->wait_for(timeout)) {
            return fmt::format("no answer within {} ms", timeout.count());
        }
    } catch (const mqtt::exception& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<TestClient>> TestClient::connect(const std::string& url,
                                                        TestClientOptions options) {
    if (options.client_id.empty()) {
        options.client_id = unique_client_id();
    }
    try {
        // No create_options (MQTT-NOTES: they turn on a 100-message buffer cap) and no persistence.
        auto client = std::make_unique<mqtt::async_client>(url, options.client_id, nullptr);
        std::unique_ptr<TestClient> self(new TestClient(std::move(client), options));
        TestClient* raw = self.get();
        self->client_->set_message_callback([raw](mqtt::const_message_ptr message) {
            raw->on_message({message->get_topic(), message->get_payload_str(), message->get_qos(),
                             message->is_retained(), message->is_duplicate()});
        });
        mqtt::connect_options connect;
        connect.set_mqtt_version(MQTTVERSION_3_1_1);
        connect.set_clean_session(options.clean_session);
        connect.set_keep_alive_interval(std::chrono::seconds{30});
        connect.set_connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(
            std::max(options.timeout, std::chrono::milliseconds{1000})));
        if (!options.username.empty()) {
            connect.set_user_name(options.username);
            connect.set_password(options.password);
        }
        if (!options.will_topic.empty()) {
            connect.set_will(mqtt::will_options(options.will_topic, options.will_payload, 1,
                                                options.will_retained));
        }
        if (auto error = wait(self->client_->connect(connect), options.timeout)) {
            return make_error("test-client.connect", fmt::format("connect to {} as '{}': {}", url,
                                                                 options.client_id, *error));
        }
        return self;
    } catch (const std::exception& e) {
        return make_error("test-client.connect", fmt::format("connect to {}: {}", url, e.what()));
    }
}

TestClient::TestClient(std::unique_ptr<mqtt::async_client> client, TestClientOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

TestClient::~TestClient() {
    try {
        client_->disable_callbacks();
        if (client_->is_connected()) {
            client_->disconnect(0)->wait_for(options_.timeout);
        }
    } catch (const std::exception&) {
        // Best effort: the broker may be gone already.
    }
    // Destroy the Paho client before the members its message callback uses.
    client_.reset();
}

Status TestClient::subscribe(const std::string& filter, int qos) {
    try {
        auto token = client_->subscribe(filter, qos);
        if (auto error = wait(token, options_.timeout)) {
            return make_error("test-client.subscribe",
                              fmt::format("subscribe '{}': {}", filter, *error));
        }
        const auto codes = token->get_subscribe_response().get_reason_codes();
        if (!codes.empty() && codes.front() >= 0x80) {
            return make_error("test-client.subscribe",
                              fmt::format("subscribe '{}' refused ({})", filter, codes.front()));
        }
    } catch (const std::exception& e) {
        return make_error("test-client.subscribe",
                          fmt::format("subscribe '{}': {}", filter, e.what()));
    }
    return Ok{};
}

Status TestClient::publish(const std::string& topic, const std::string& payload, int qos,
                           bool retained) {
    try {
        auto token = client_->publish(mqtt::make_message(topic, payload, qos, retained));
        if (auto error = wait(token, options_.timeout)) {
            return make_error("test-client.publish",
                              fmt::format("publish '{}': {}", topic, *error));
        }
    } catch (const std::exception& e) {
        return make_error("test-client.publish", fmt::format("publish '{}': {}", topic, e.what()));
    }
    return Ok{};
}

Status TestClient::publish_async(const std::string& topic, const std::string& payload, int qos) {
    try {
        client_->publish(mqtt::make_message(topic, payload, qos, false));
    } catch (const std::exception& e) {
        return make_error("test-client.publish", fmt::format("publish '{}': {}", topic, e.what()));
    }
    return Ok{};
}

Status TestClient::disconnect() {
    try {
        if (auto error = wait(client_->disconnect(), options_.timeout)) {
            return make_error("test-client.disconnect", *error);
        }
    } catch (const std::exception& e) {
        return make_error("test-client.disconnect", e.what());
    }
    return Ok{};
}

void TestClient::on_message(ReceivedMessage message) {
    {
        const std::lock_guard lock(mutex_);
        messages_.push_back(std::move(message));
    }
    arrived_.notify_all();
}

std::vector<ReceivedMessage> TestClient::wait_for_messages(std::size_t count,
                                                           std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
    return messages_;
}

std::optional<ReceivedMessage> TestClient::wait_for_message(
    const std::function<bool(const ReceivedMessage&)>& match, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<ReceivedMessage> found;
    arrived_.wait_for(lock, timeout, [&] {
        for (const ReceivedMessage& message : messages_) {
            if (match(message)) {
                found = message;
                return true;
            }
        }
        return false;
    });
    return found;
}

std::vector<ReceivedMessage> TestClient::messages() const {
    const std::lock_guard lock(mutex_);
    return messages_;
}

std::size_t TestClient::message_count() const {
    const std::lock_guard lock(mutex_);
    return messages_.size();
}

void TestClient::clear() {
    const std::lock_guard lock(mutex_);
    messages_.clear();
}

bool TestClient::connected() const {
    return client_->is_connected();
}

}  // namespace passerelle::testing
