// SPDX-License-Identifier: Apache-2.0
#include "tests/integration/territory_run.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace passerelle::testing {

namespace fs = std::filesystem;

std::string copy_example_territory(const fs::path& dir) {
    const fs::path example = PASSERELLE_SOURCE_DIR "/examples/territoire";
    const fs::path territory = dir / "territoire";
    fs::create_directories(territory);
    for (const char* part : {"entities.yaml", "passerelle.yaml"}) {
        fs::copy(example / part, territory / part);
    }
    for (const char* folder : {"rules", "keys", "modbus"}) {
        if (fs::exists(example / folder)) {
            fs::copy(example / folder, territory / folder, fs::copy_options::recursive);
        }
    }
    return (territory / "passerelle.yaml").string();
}

std::unique_ptr<ChildProcess> start_gateway(const fs::path& dir, const std::string& name,
                                            const std::string& config,
                                            const std::string& broker_url, const fs::path& data) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = {"run", "-c", config, "--broker", broker_url, "--data", data.string()};
    options.stdout_path = dir / (name + ".out");
    options.stderr_path = dir / (name + ".err");
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    return std::move(*child);
}

std::unique_ptr<ChildProcess> start_simulate(const fs::path& dir, const std::string& config,
                                             const std::string& broker_url,
                                             const std::string& scenario, double speed,
                                             std::vector<std::string> extra) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = {"simulate",
                    "-c",
                    config,
                    "--broker",
                    broker_url,
                    "--scenario",
                    scenario,
                    "--speed",
                    std::to_string(speed),
                    "--no-watch",
                    "--linger",
                    "0",
                    "--record",
                    (dir / (scenario + ".jsonl")).string()};
    options.args.insert(options.args.end(), extra.begin(), extra.end());
    options.stdout_path = dir / (scenario + ".out");
    options.stderr_path = dir / (scenario + ".err");
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    return std::move(*child);
}

namespace {

bool is_notification(const ReceivedMessage& message) {
    return message.topic.starts_with("notify/") && !message.topic.ends_with("/presence");
}

}  // namespace

void announce_desks_online(const std::string& broker_url) {
    auto client = TestClient::connect(broker_url);
    REQUIRE(client.has_value());
    for (const char* desk : {"ccas", "ccas/astreinte", "ccas/encadrement", "ccas/elu-astreinte"}) {
        REQUIRE((*client)
                    ->publish(std::string("notify/") + desk + "/presence", "online", 1, true)
                    .has_value());
    }
}

std::multiset<Notice> notices_received(const TestClient& observer) {
    std::multiset<Notice> notices;
    for (const auto& message : observer.messages()) {
        if (is_notification(message)) {
            const auto body = nlohmann::json::parse(message.payload);
            // A route's notice names its group where a notification names its key.
            notices.emplace(body["id"], body["rule"],
                            body.contains("group") ? body["group"] : body["key"], body["status"],
                            body["recipient"]);
        }
    }
    return notices;
}

std::size_t notices_redelivered(const TestClient& observer) {
    const auto messages = observer.messages();
    return static_cast<std::size_t>(
        std::count_if(messages.begin(), messages.end(),
                      [](const ReceivedMessage& m) { return is_notification(m) && m.duplicate; }));
}

std::multiset<Notice> replay_notices(const fs::path& dir, const fs::path& input,
                                     const std::string& config) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = {"replay", "-c", config, "--input", input.string()};
    options.stdout_path = dir / "replay.out";
    options.stderr_path = dir / "replay.err";
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(std::chrono::seconds(60));
    REQUIRE(status.has_value());
    INFO((*child)->read_stderr());
    REQUIRE(status->success());
    std::multiset<Notice> notices;
    std::istringstream lines((*child)->read_stdout());
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event.contains("recipient")) {
            notices.emplace(event["id"], event["rule"], event["key"], event["status"],
                            event["recipient"]);
        }
    }
    return notices;
}

void wait_for_notices(TestClient& observer, std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto messages = observer.messages();
        if (static_cast<std::size_t>(
                std::count_if(messages.begin(), messages.end(), is_notification)) >= count) {
            return;
        }
        observer.wait_for_messages(messages.size() + 1, std::chrono::milliseconds(100));
    }
}

}  // namespace passerelle::testing
