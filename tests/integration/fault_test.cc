// SPDX-License-Identifier: Apache-2.0
// Faults during a simulated heatwave of the example territory, against a real Mosquitto and the
// real binary: the gateway killed (SIGKILL) and restarted on its store. What the recipients
// receive is compared with what `replay` computes from the readings the simulator recorded: none
// lost, and duplicates counted (the target is none).
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <regex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "tests/integration/territory_run.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/temp_dir.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

/// What one set has and the other has not, counting repeats.
std::multiset<Notice> minus(const std::multiset<Notice>& a, const std::multiset<Notice>& b) {
    std::multiset<Notice> rest;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(rest, rest.end()));
    return rest;
}

std::string describe(const std::multiset<Notice>& notices) {
    std::string text;
    for (const auto& [id, rule, key, status, recipient] : notices) {
        text += id + " " + rule + " " + key + " " + status + " -> " + recipient + "\n";
    }
    return text;
}

/// A recipient's view: notify/# and the gateway's status.
std::unique_ptr<TestClient> watch_notifications(const std::string& url,
                                                const TestClientOptions& options = {}) {
    auto connected = TestClient::connect(url, options);
    REQUIRE(connected.has_value());
    auto observer = std::move(*connected);
    REQUIRE(observer->subscribe("notify/#").has_value());
    REQUIRE(observer->subscribe("passerelle/territoire-demo/status").has_value());
    return observer;
}

/// Waits for the simulator's end, lets the gateway evaluate what it was sent, stops the gateway
/// cleanly and returns its log.
std::string finish(ChildProcess& simulate, ChildProcess& gateway) {
    const auto simulated = simulate.wait_for(120s);
    REQUIRE(simulated.has_value());
    INFO(simulate.read_stderr());
    REQUIRE(simulated->success());
    std::this_thread::sleep_for(2s);
    const auto stopped = gateway.terminate(kDrainGrace);
    const std::string log = gateway.read_stderr();
    INFO(log);
    REQUIRE(stopped.success());
    return log;
}

/// Notifications compared with the replay of the heatwave the simulator recorded in `dir`.
struct Outcome {
    std::size_t expected = 0;
    std::size_t received = 0;
    std::multiset<Notice> lost;
    std::multiset<Notice> duplicated;
};

/// `earlier`: notifications received by an observer's previous connection, if any.
Outcome compare_with_replay(const ScratchDir& dir, const std::string& config, TestClient& observer,
                            const std::multiset<Notice>& earlier = {}) {
    const auto expected = replay_notices(dir.path(), dir / "canicule.jsonl", config);
    wait_for_notices(observer, expected.size() - std::min(expected.size(), earlier.size()), 10s);
    auto received = notices_received(observer);
    received.insert(earlier.begin(), earlier.end());
    return Outcome{expected.size(), received.size(), minus(expected, received),
                   minus(received, expected)};
}

}  // namespace

TEST_CASE("the gateway killed in the middle of a heatwave and restarted loses no notification",
          "[fault]") {
    const ScratchDir dir("passerelle-fault");
    const std::string config = copy_example_territory(dir.path());
    const auto data = dir / "data";
    auto broker = MosquittoProcess::start();
    REQUIRE(broker.has_value());
    const std::string url = (*broker)->url();
    announce_desks_online(url);
    auto observer = watch_notifications(url);

    auto gateway = start_gateway(dir.path(), "gateway-1", config, url, data);
    REQUIRE(observer->wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic.ends_with("/status") && m.payload == "online";
        },
        20s));
    // 48 hours of territory time in about 12 seconds: the kill lands inside the heatwave.
    auto simulate = start_simulate(dir.path(), config, url, "canicule", 14'400);
    wait_for_notices(*observer, 1, 30s);  // the heatwave has begun notifying
    REQUIRE(gateway->send_signal(SIGKILL));
    REQUIRE(gateway->wait_for(5s).has_value());
    const std::size_t before_restart = notices_received(*observer).size();

    auto restarted = start_gateway(dir.path(), "gateway-2", config, url, data);
    const std::string log = finish(*simulate, *restarted);
    INFO(log);

    const auto [expected, received, lost, duplicated] = compare_with_replay(dir, config, *observer);
    CHECK(expected > 20);
    CHECK(before_restart < expected);  // the kill was in the middle
    INFO("lost:\n" << describe(lost));
    CHECK(lost.empty());
    // At least once: a notification the broker took, but whose acknowledgement the killed gateway
    // never read, is recognised by the copy the broker kept for the gateway; one that did not
    // reach the broker goes out again with its id. Nothing else may repeat.
    std::smatch outbox;
    std::size_t confirmed = 0;
    std::size_t resent = 0;
    if (std::regex_search(
            log, outbox,
            std::regex(
                R"(outbox: (\d+) notifications had reached the broker, (\d+) sent again)"))) {
        confirmed = std::stoul(outbox[1]);
        resent = std::stoul(outbox[2]);
    }
    // Messages Paho had acknowledged to the broker but the rules had not evaluated when killed.
    std::smatch journal;
    const std::size_t leftovers =
        std::regex_search(log, journal, std::regex(R"(journal: (\d+) messages received before)"))
            ? std::stoul(journal[1])
            : 0;
    std::printf(
        "kill test: %zu notifications expected, %zu received (%zu before the kill), %zu "
        "lost, %zu duplicated; after the restart %zu messages evaluated from the journal, %zu "
        "notifications found delivered, %zu sent again\n",
        expected, received, before_restart, lost.size(), duplicated.size(), leftovers, confirmed,
        resent);
    INFO("duplicated:\n" << describe(duplicated));
    CHECK(duplicated.size() <= resent);
}

TEST_CASE("the broker stopped and restarted in the middle of a heatwave loses no notification",
          "[fault]") {
    const ScratchDir dir("passerelle-fault");
    const std::string config = copy_example_territory(dir.path());
    // A broker that keeps its sessions across the restart, as a production one does.
    MosquittoOptions options;
    options.extra_config = {"persistence true",
                            "persistence_location " + (dir / "broker").string() + "/"};
    std::filesystem::create_directories(dir / "broker");
    auto broker = MosquittoProcess::start(options);
    REQUIRE(broker.has_value());
    const std::string url = (*broker)->url();
    announce_desks_online(url);
    TestClientOptions observer_options;
    observer_options.client_id = "observer";
    observer_options.clean_session = false;  // what comes during the outage waits for it
    auto observer = watch_notifications(url, observer_options);

    auto gateway = start_gateway(dir.path(), "gateway", config, url, dir / "data");
    REQUIRE(observer->wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic.ends_with("/status") && m.payload == "online";
        },
        20s));
    auto simulate = start_simulate(dir.path(), config, url, "canicule", 14'400);
    wait_for_notices(*observer, 1, 30s);
    (*broker)->stop();
    const auto before_outage = notices_received(*observer);
    const std::size_t redelivered_before = notices_redelivered(*observer);
    std::this_thread::sleep_for(2s);
    REQUIRE((*broker)->restart());
    // The recipient comes back to its session, where the broker kept what came meanwhile.
    observer = watch_notifications(url, observer_options);

    const std::string log = finish(*simulate, *gateway);
    INFO(log);
    CHECK(log.find("reconnect") != std::string::npos);

    const auto [expected, received, lost, duplicated] =
        compare_with_replay(dir, config, *observer, before_outage);
    // The recipient's own session: the broker sends again (DUP) what it delivered just before
    // stopping without reading the recipient's acknowledgement. Any other repeat is the gateway's.
    const std::size_t redelivered = redelivered_before + notices_redelivered(*observer);
    // The gateway's side of QoS 1: a notification whose PUBACK the stopping broker never sent is
    // published again after the reconnection ("N message(s) to re-send"), with its id.
    std::size_t resent = 0;
    const std::regex resend(R"((\d+) message\(s\) to re-send)");
    for (std::sregex_iterator it(log.begin(), log.end(), resend), end; it != end; ++it) {
        resent += std::stoul((*it)[1]);
    }
    std::printf(
        "broker restart test: %zu notifications expected, %zu received, %zu lost, %zu "
        "duplicated; %zu sent again by the broker to the recipient, %zu by the gateway\n",
        expected, received, lost.size(), duplicated.size(), redelivered, resent);
    CHECK(expected > 20);
    INFO("lost:\n" << describe(lost));
    CHECK(lost.empty());
    INFO("duplicated:\n" << describe(duplicated));
    CHECK(duplicated.size() <= redelivered + resent);
}

namespace {

/// A small tmpfs of its own at `where`, unmounted when done: a disk that fills up for real.
class SmallDisk {
public:
    SmallDisk(std::filesystem::path where, const std::string& size) : where_(std::move(where)) {
        std::filesystem::create_directories(where_);
        mounted_ = ::geteuid() == 0 &&
                   run("mount -t tmpfs -o size=" + size + " tmpfs '" + where_.string() + "'");
    }
    ~SmallDisk() {
        if (mounted_) {
            run("umount -l '" + where_.string() + "'");
        }
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    bool mounted() const { return mounted_; }
    bool remount(const std::string& options) {
        return run("mount -o remount," + options + " '" + where_.string() + "'");
    }

private:
    static bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

    std::filesystem::path where_;
    bool mounted_ = false;
};

}  // namespace

TEST_CASE("a full store disk: the rules go on, and the store writes again when space returns",
          "[fault]") {
    const ScratchDir dir("passerelle-fault");
    SmallDisk disk(dir / "data", "1m");
    if (!disk.mounted()) {
        WARN("not run: mounting a small tmpfs needs root");
        return;
    }
    const std::string config = copy_example_territory(dir.path());
    auto broker = MosquittoProcess::start();
    REQUIRE(broker.has_value());
    const std::string url = (*broker)->url();
    announce_desks_online(url);
    auto observer = watch_notifications(url);
    auto gateway = start_gateway(dir.path(), "gateway", config, url, dir / "data");
    REQUIRE(observer->wait_for_message(
        [](const ReceivedMessage& m) {
            return m.topic.ends_with("/status") && m.payload == "online";
        },
        20s));

    auto simulate = start_simulate(dir.path(), config, url, "canicule", 7'200);
    INFO(gateway->read_stderr());
    REQUIRE(gateway->wait_for_stderr("database or disk is full", 60s));
    REQUIRE(disk.remount("size=64m"));
    REQUIRE(gateway->wait_for_stderr("store: writing again", 20s));

    const std::string log = finish(*simulate, *gateway);
    INFO(log);
    CHECK(log.find(" 0 not stored") != std::string::npos);  // kept in memory, written after

    const auto [expected, received, lost, duplicated] = compare_with_replay(dir, config, *observer);
    std::printf(
        "store disk test: %zu notifications expected, %zu received, %zu lost, %zu "
        "duplicated\n",
        expected, received, lost.size(), duplicated.size());
    INFO("lost:\n" << describe(lost));
    CHECK(lost.empty());
    INFO("duplicated:\n" << describe(duplicated));
    CHECK(duplicated.empty());
}

TEST_CASE("a second gateway on the same store is refused, naming the first one", "[fault]") {
    const ScratchDir dir("passerelle-fault");
    const std::string config = copy_example_territory(dir.path());
    auto broker = MosquittoProcess::start();
    REQUIRE(broker.has_value());
    auto first = start_gateway(dir.path(), "first", config, (*broker)->url(), dir / "data");
    REQUIRE(first->wait_for_stderr("broker: connected", 20s));
    auto second = start_gateway(dir.path(), "second", config, (*broker)->url(), dir / "data");
    const auto refused = second->wait_for(20s);
    REQUIRE(refused.has_value());
    CHECK(refused->code == 4);
    CHECK_THAT(second->read_stderr(),
               Catch::Contains("another passerelle (process " + std::to_string(first->pid()) +
                               ") uses the store"));
    CHECK(first->running());
    REQUIRE(first->terminate(20s).success());
    CHECK_THAT(first->read_stderr(), Catch::Contains("readings written"));
}
