// SPDX-License-Identifier: Apache-2.0
// A live run and a replay of its recorded readings give the same notifications, with the same ids.
#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/territory_run.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/test_client.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Event = std::tuple<std::string, std::string, std::string>;  // id, recipient, status

const std::string kExampleConfig = PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml";

std::unique_ptr<ChildProcess> spawn(const fs::path& dir, const std::string& name,
                                    std::vector<std::string> args) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = std::move(args);
    options.stdout_path = dir / (name + ".out");
    options.stderr_path = dir / (name + ".err");
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    return std::move(*child);
}

}  // namespace

TEST_CASE("replay of a recorded heatwave gives the live run's notifications", "[replay]") {
    char pattern[] = "/tmp/passerelle-replay.XXXXXX";
    const fs::path dir = ::mkdtemp(pattern);
    auto broker = MosquittoProcess::start();
    REQUIRE(broker.has_value());
    auto observer = TestClient::connect((*broker)->url());
    REQUIRE(observer.has_value());
    REQUIRE((*observer)->subscribe("notify/#").has_value());
    REQUIRE((*observer)->subscribe("passerelle/territoire-demo/status").has_value());

    auto gateway = spawn(dir, "gateway",
                         {"run", "-c", kExampleConfig, "--broker", (*broker)->url(), "--data",
                          (dir / "data").string()});
    REQUIRE((*observer)->wait_for_message(
        [](const ReceivedMessage& m) { return m.payload == "online"; }, 20s));
    auto simulate =
        spawn(dir, "simulate",
              {"simulate", "-c", kExampleConfig, "--broker", (*broker)->url(), "--speed", "50000",
               "--no-watch", "--linger", "0", "--record", (dir / "heatwave.jsonl").string()});
    const auto simulated = simulate->wait_for(120s);
    INFO(simulate->read_stderr());
    REQUIRE(simulated.has_value());
    REQUIRE(simulated->success());
    // A graceful stop evaluates every reading received and waits for the notifications' PUBACKs;
    // its last log line says how many the broker took, which the observer then waits for.
    const auto exit_status = gateway->terminate(kDrainGrace);
    const std::string log = gateway->read_stderr();
    INFO(log);
    REQUIRE(exit_status.success());
    const std::regex stopped(R"((\d+) notifications \((\d+) delivered)");
    std::smatch counts;
    REQUIRE(std::regex_search(log, counts, stopped));
    const std::size_t delivered = std::stoul(counts[2]);
    CHECK(std::stoul(counts[1]) == delivered);
    const auto is_notification = [](const ReceivedMessage& m) {
        return m.topic.starts_with("notify/");
    };
    for (int i = 0; i < 100; ++i) {
        const auto messages = (*observer)->messages();
        if (static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(),
                                                   is_notification)) >= delivered) {
            break;
        }
        (*observer)->wait_for_messages(messages.size() + 1, 100ms);
    }

    std::set<Event> live;
    std::set<std::string> groups;  // routes' notices: explained through their alerts
    for (const auto& message : (*observer)->messages()) {
        if (message.topic.starts_with("notify/")) {
            const auto body = nlohmann::json::parse(message.payload);
            live.emplace(body["id"], body["recipient"], body["status"]);
            if (body.contains("alerts")) {
                groups.insert(body["id"].get<std::string>());  // a route's notice
            }
        }
    }
    auto replay = spawn(dir, "replay",
                        {"replay", "-c", kExampleConfig, "--input",
                         (dir / "heatwave.jsonl").string(), "--explain"});
    const auto replayed = replay->wait_for(60s);
    REQUIRE(replayed.has_value());
    REQUIRE(replayed->success());
    std::set<Event> offline;
    std::map<std::pair<std::string, std::string>, nlohmann::json> replay_explanations;
    std::istringstream lines(replay->read_stdout());
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        offline.emplace(event["id"], event["recipient"], event["status"]);
        if (event.contains("explain")) {
            replay_explanations[{event["id"], event["status"]}] = event["explain"]["explanation"];
        }
    }
    INFO(gateway->read_stderr());
    CHECK(live.size() >= 10);
    CHECK(offline == live);

    // The live gateway kept each transition's explanation: the same as the replay's.
    for (const auto& [id, recipient, status] : live) {
        if (groups.contains(id)) {
            continue;
        }
        auto explain = spawn(dir, "explain",
                             {"explain", "-c", kExampleConfig, "--data", (dir / "data").string(),
                              "--format", "json", id});
        const auto explained = explain->wait_for(20s);
        REQUIRE(explained.has_value());
        INFO(explain->read_stderr());
        REQUIRE(explained->success());
        bool found = false;
        std::istringstream records(explain->read_stdout());
        for (std::string line; std::getline(records, line);) {
            const auto record = nlohmann::json::parse(line);
            CHECK(record["id"] == id);
            if (record["status"] == status) {
                found = true;
                CHECK(record["explanation"] == replay_explanations[{id, status}]);
            }
        }
        CHECK(found);
    }
    const auto alert = std::find_if(live.begin(), live.end(), [&](const Event& event) {
        return !groups.contains(std::get<0>(event));
    });
    REQUIRE(alert != live.end());
    auto text = spawn(
        dir, "explain-text",
        {"explain", "-c", kExampleConfig, "--data", (dir / "data").string(), std::get<0>(*alert)});
    REQUIRE(text->wait_for(20s)->success());
    CHECK_THAT(text->read_stdout(), Catch::Contains("  because   ") && Catch::Contains("  when      "));
    auto unknown = spawn(
        dir, "explain-unknown",
        {"explain", "-c", kExampleConfig, "--data", (dir / "data").string(), "0000000000000000"});
    CHECK(unknown->wait_for(20s)->code == 1);
    CHECK_THAT(unknown->read_stderr(), Catch::Contains("no transition of alert '0000000000000000'"));
    fs::remove_all(dir);
}
