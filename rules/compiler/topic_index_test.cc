// SPDX-License-Identifier: Apache-2.0
// The topic-filter trie against MQTT's matching rules and against passerelle::topic_matches.
#include "rules/compiler/topic_index.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "gateway/core/topic.h"

using passerelle::topic_matches;
using passerelle::rules::TopicIndex;

namespace {

std::vector<std::uint32_t> matches(const TopicIndex& index, std::string_view topic) {
    std::vector<std::uint32_t> out;
    index.match(topic, out);
    return out;
}

using Values = std::vector<std::uint32_t>;

}  // namespace

TEST_CASE("topic index: exact levels and +", "[topic_index]") {
    TopicIndex index;
    index.insert("telemetry/hs/a-1/temperature", 0);
    index.insert("telemetry/+/a-1/temperature", 1);
    index.insert("telemetry/hs/+/+", 2);
    index.insert("signal/ville/canicule-level", 3);
    CHECK(index.size() == 4);
    CHECK(matches(index, "telemetry/hs/a-1/temperature") == Values{0, 1, 2});
    CHECK(matches(index, "telemetry/hs/a-2/temperature") == Values{2});
    CHECK(matches(index, "telemetry/other/a-1/temperature") == Values{1});
    CHECK(matches(index, "telemetry/hs/a-1") == Values{});
    CHECK(matches(index, "telemetry/hs/a-1/temperature/x") == Values{});
    CHECK(matches(index, "signal/ville/canicule-level") == Values{3});
    CHECK(matches(index, "signal/ville") == Values{});
}

TEST_CASE("topic index: # matches the parent level and everything below", "[topic_index]") {
    TopicIndex index;
    index.insert("a/#", 0);
    index.insert("#", 1);
    index.insert("a/+/#", 2);
    CHECK(matches(index, "a") == Values{0, 1});
    CHECK(matches(index, "a/b") == Values{0, 1, 2});
    CHECK(matches(index, "a/b/c/d") == Values{0, 1, 2});
    CHECK(matches(index, "b") == Values{1});
    CHECK(matches(index, "a/") == Values{0, 1, 2});
}

TEST_CASE("topic index: a leading wildcard never matches a $ topic", "[topic_index]") {
    TopicIndex index;
    index.insert("#", 0);
    index.insert("+/x", 1);
    index.insert("$SYS/#", 2);
    index.insert("$SYS/+", 3);
    CHECK(matches(index, "$SYS/x") == Values{2, 3});
    CHECK(matches(index, "a/x") == Values{0, 1});
    CHECK(matches(index, "a/$x") == Values{0});
}

TEST_CASE("topic index: results in value order, each value once", "[topic_index]") {
    TopicIndex index;
    index.insert("a/#", 7);
    index.insert("a/b", 3);
    index.insert("+/b", 5);
    index.insert("a/+", 7);  // the same value under a second filter that also matches
    index.insert("a/b", 1);  // the same filter twice
    CHECK(matches(index, "a/b") == Values{1, 3, 5, 7});
}

TEST_CASE("topic index: the output vector is reused", "[topic_index]") {
    TopicIndex index;
    index.insert("a/b", 0);
    std::vector<std::uint32_t> out{9, 9, 9};
    index.match("a/b", out);
    CHECK(out == Values{0});
    const auto* data = out.data();
    index.match("x", out);
    CHECK(out.empty());
    index.match("a/b", out);
    CHECK(out.data() == data);  // the capacity was kept: no allocation per call
}

TEST_CASE("topic index: empty index and empty levels", "[topic_index]") {
    TopicIndex empty;
    CHECK(empty.empty());
    CHECK(matches(empty, "a/b").empty());
    TopicIndex index;
    index.insert("a//b", 0);
    index.insert("/+", 1);
    index.insert("+", 2);
    CHECK(matches(index, "a//b") == Values{0});
    CHECK(matches(index, "/x") == Values{1});
    CHECK(matches(index, "") == Values{2});
    CHECK(matches(index, "a/b").empty());
}

// Random filters and topics over a small alphabet, where collisions, empty levels, `$` levels
// and every wildcard position are frequent: the trie must say exactly what topic_matches says.
TEST_CASE("topic index: agrees with topic_matches on random filters and topics", "[topic_index]") {
    std::mt19937 random(20260714);  // fixed: a failure replays
    const std::vector<std::string> topic_levels{"a", "b", "", "$a"};
    const auto pick = [&random](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    const auto random_topic = [&] {
        std::string topic;
        const std::size_t levels = 1 + pick(4);
        for (std::size_t i = 0; i < levels; ++i) {
            topic += (i == 0 ? "" : "/") + topic_levels[pick(topic_levels.size())];
        }
        return topic;
    };
    const auto random_filter = [&] {
        std::string filter;
        const std::size_t levels = 1 + pick(4);
        for (std::size_t i = 0; i < levels; ++i) {
            filter += i == 0 ? "" : "/";
            const std::size_t choice = pick(topic_levels.size() + 2);
            if (choice < topic_levels.size()) {
                filter += topic_levels[choice];
            } else if (choice == topic_levels.size() || i + 1 < levels) {
                filter += "+";
            } else {
                filter += "#";
            }
        }
        return filter;
    };
    std::vector<std::uint32_t> out;
    for (int round = 0; round < 200; ++round) {
        TopicIndex index;
        std::vector<std::string> filters(1 + pick(40));
        for (std::size_t i = 0; i < filters.size(); ++i) {
            do {
                filters[i] = random_filter();
            } while (filters[i].empty());  // one empty level: no filter at all
            REQUIRE(static_cast<bool>(passerelle::validate_topic_filter(filters[i])));
            index.insert(filters[i], static_cast<std::uint32_t>(i));
        }
        for (int probe = 0; probe < 100; ++probe) {
            const std::string topic = random_topic();
            std::vector<std::uint32_t> expected;
            for (std::size_t i = 0; i < filters.size(); ++i) {
                if (topic_matches(filters[i], topic)) {
                    expected.push_back(static_cast<std::uint32_t>(i));
                }
            }
            index.match(topic, out);
            INFO("topic '" << topic << "'");
            REQUIRE(out == expected);
        }
    }
}
