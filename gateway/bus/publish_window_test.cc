// SPDX-License-Identifier: Apache-2.0
// The publish window: bounds, order after requeue, and exactly-once settlement.
#include "gateway/bus/publish_window.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace passerelle::bus {
namespace {

OutgoingMessage message(std::uint64_t id) {
    return OutgoingMessage{id, "t/" + std::to_string(id), "p", 1, false};
}

std::vector<PublishWindow::Attempt> take_all(PublishWindow& window) {
    std::vector<PublishWindow::Attempt> attempts;
    while (auto attempt = window.next()) {
        attempts.push_back(*attempt);
    }
    return attempts;
}

std::vector<std::uint64_t> ids(const std::vector<PublishWindow::Attempt>& attempts) {
    std::vector<std::uint64_t> result;
    for (const auto& attempt : attempts) {
        result.push_back(attempt.message->id);
    }
    return result;
}

TEST_CASE("queue bound and window bound", "[publish_window]") {
    PublishWindow window(2, 3);
    CHECK(window.idle());
    REQUIRE(window.push(message(1)).has_value());
    REQUIRE(window.push(message(2)).has_value());
    REQUIRE(window.push(message(3)).has_value());
    const Status full = window.push(message(4));
    REQUIRE_FALSE(full.has_value());
    CHECK(full.error().code == "bus.queue-full");
    CHECK(full.error().message == "outgoing queue full (3 messages); 't/4' not queued");

    const auto first = take_all(window);
    CHECK(ids(first) == std::vector<std::uint64_t>{1, 2});
    CHECK_FALSE(window.can_send());
    CHECK(window.inflight() == 2);
    CHECK(window.queued() == 1);
    REQUIRE(window.push(message(4)).has_value());  // room again: two left the queue

    const auto settled = window.acknowledge(first[0].attempt);
    CHECK(settled.first);
    CHECK(settled.id == 1);
    CHECK(ids(take_all(window)) == std::vector<std::uint64_t>{3});
    CHECK(window.peak_inflight() == 2);
}

TEST_CASE("acknowledging twice or an unknown attempt settles nothing", "[publish_window]") {
    PublishWindow window(10, 10);
    REQUIRE(window.push(message(7)).has_value());
    const auto attempt = *window.next();
    CHECK(attempt.attempt != 0);
    CHECK(window.acknowledge(attempt.attempt).first);
    CHECK_FALSE(window.acknowledge(attempt.attempt).first);
    CHECK_FALSE(window.acknowledge(12345).first);
    CHECK(window.idle());
}

TEST_CASE("a connection loss requeues in flight messages in front, in order", "[publish_window]") {
    PublishWindow window(3, 100);
    for (std::uint64_t id = 1; id <= 5; ++id) {
        REQUIRE(window.push(message(id)).has_value());
    }
    const auto sent = take_all(window);  // 1 2 3 in flight, 4 5 queued
    REQUIRE(ids(sent) == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(window.acknowledge(sent[1].attempt).first);  // 2 acknowledged
    CHECK(window.requeue_inflight() == 2);
    CHECK(window.inflight() == 0);
    CHECK(window.queued() == 4);
    CHECK(ids(take_all(window)) == std::vector<std::uint64_t>{1, 3, 4});
}

TEST_CASE("passing failures keep publish order whatever order they arrive in", "[publish_window]") {
    PublishWindow window(4, 100);
    for (std::uint64_t id = 1; id <= 6; ++id) {
        REQUIRE(window.push(message(id)).has_value());
    }
    const auto sent = take_all(window);  // 1..4
    window.retry(sent[2].attempt);
    window.retry(sent[0].attempt);
    window.retry(sent[3].attempt);
    window.requeue_inflight();  // 2
    CHECK(ids(take_all(window)) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(window.queued() == 2);
}

TEST_CASE("a late ack of an abandoned attempt settles the queued copy", "[publish_window]") {
    PublishWindow window(10, 100);
    REQUIRE(window.push(message(1)).has_value());
    REQUIRE(window.push(message(2)).has_value());
    const auto sent = take_all(window);
    window.requeue_inflight();
    // Paho re-sent its own copy of message 1 after the reconnect and the broker acked it.
    const auto late = window.acknowledge(sent[0].attempt);
    CHECK(late.first);
    CHECK(late.id == 1);
    CHECK(window.queued() == 1);
    const auto again = take_all(window);
    CHECK(ids(again) == std::vector<std::uint64_t>{2});
    CHECK(window.acknowledge(again[0].attempt).first);
    CHECK_FALSE(window.acknowledge(sent[1].attempt).first);  // its old attempt: already settled
    CHECK(window.idle());
}

TEST_CASE("a late ack of an abandoned attempt while its copy is in flight", "[publish_window]") {
    PublishWindow window(10, 100);
    REQUIRE(window.push(message(1)).has_value());
    const auto first = *window.next();
    window.requeue_inflight();
    const auto second = *window.next();
    CHECK(second.attempt != first.attempt);
    CHECK(window.acknowledge(first.attempt).first);  // reported once, here
    CHECK(window.inflight() == 1);                   // the copy still holds its slot
    CHECK_FALSE(window.acknowledge(second.attempt).first);
    CHECK(window.idle());

    SECTION("or the copy is lost again") {
        REQUIRE(window.push(message(2)).has_value());
        const auto a = *window.next();
        window.requeue_inflight();
        const auto b = *window.next();
        CHECK(window.acknowledge(a.attempt).first);
        window.requeue_inflight();  // b abandoned, but its message is settled: dropped
        CHECK(window.idle());
        CHECK_FALSE(window.acknowledge(b.attempt).first);
    }
}

TEST_CASE("rejection is final and ignores abandoned attempts", "[publish_window]") {
    PublishWindow window(10, 100);
    REQUIRE(window.push(message(1)).has_value());
    REQUIRE(window.push(message(2)).has_value());
    const auto sent = take_all(window);
    const auto rejected = window.reject(sent[0].attempt);
    CHECK(rejected.first);
    CHECK(rejected.id == 1);
    window.requeue_inflight();
    CHECK_FALSE(window.reject(sent[1].attempt).first);  // abandoned: it will be re-sent
    CHECK(window.queued() == 1);
    CHECK(window.clear() == 1);
    CHECK(window.idle());
}

TEST_CASE("many reconnects: every message settled exactly once", "[publish_window]") {
    PublishWindow window(50, 100000);
    constexpr std::uint64_t kCount = 5000;
    for (std::uint64_t id = 1; id <= kCount; ++id) {
        REQUIRE(window.push(message(id)).has_value());
    }
    std::vector<int> settled(kCount + 1, 0);
    std::vector<std::uint64_t> abandoned;
    std::uint64_t round = 0;
    while (!window.idle()) {
        ++round;
        auto attempts = take_all(window);
        // Acknowledge every other attempt, plus a late ack of an old abandoned one; then lose the
        // connection every third round.
        for (std::size_t i = 0; i < attempts.size(); i += 2) {
            const auto s = window.acknowledge(attempts[i].attempt);
            if (s.first) {
                ++settled[s.id];
            }
        }
        if (!abandoned.empty()) {
            const auto s = window.acknowledge(abandoned.back());
            if (s.first) {
                ++settled[s.id];
            }
            abandoned.pop_back();
        }
        if (round % 3 == 0) {
            for (std::size_t i = 1; i < attempts.size(); i += 2) {
                abandoned.push_back(attempts[i].attempt);
            }
            window.requeue_inflight();
        } else {
            for (std::size_t i = 1; i < attempts.size(); i += 2) {
                const auto s = window.acknowledge(attempts[i].attempt);
                if (s.first) {
                    ++settled[s.id];
                }
            }
        }
        REQUIRE(round < 10000);
    }
    for (std::uint64_t id = 1; id <= kCount; ++id) {
        INFO(id);
        REQUIRE(settled[id] == 1);
    }
    CHECK(window.peak_inflight() == 50);
}

}  // namespace
}  // namespace passerelle::bus
