// SPDX-License-Identifier: Apache-2.0
// `simulate` scenarios recorded without a broker (`--no-publish --record`), then evaluated by
// `replay` over the example territory: each scenario of the design fires and resolves, telling
// whom it should; the heatwave chained after the winter with `--start` fires too, per dwelling and
// per building.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gateway/core/time.h"
#include "tests/integration/territory_run.h"
#include "tests/support/child_process.h"
#include "tests/support/mosquitto_process.h"
#include "tests/support/test_client.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kExampleTerritoryConfig =
    PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml";

struct Run {
    ExitStatus status;
    std::string out;
    std::string err;
};

Run run_passerelle(const fs::path& dir, const std::string& name, std::vector<std::string> args) {
    ChildOptions options;
    options.executable = PASSERELLE_BINARY;
    options.args = std::move(args);
    options.stdout_path = dir / (name + ".out");
    options.stderr_path = dir / (name + ".err");
    auto child = ChildProcess::spawn(options);
    REQUIRE(child.has_value());
    const auto status = (*child)->wait_for(60s);
    REQUIRE(status.has_value());
    return Run{*status, (*child)->read_stdout(), (*child)->read_stderr()};
}

using Told = std::tuple<std::string, std::string, std::string, std::string>;  // rule, key, status,
                                                                              // recipient

std::multiset<Told> replay(const fs::path& dir, const fs::path& input,
                           const std::string& config = kExampleTerritoryConfig) {
    const auto run = run_passerelle(dir, "replay", {"replay", "-c", config, "--input", input});
    INFO(run.err);
    REQUIRE(run.status.success());
    CHECK(run.err.find(" 0 refused") != std::string::npos);
    std::multiset<Told> told;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        told.emplace(event["rule"], event["key"], event["status"], event["recipient"]);
    }
    return told;
}

/// The end of a scenario, from `simulate`'s first line: "… from T0 to T1 (…)".
std::string scenario_end(const std::string& out) {
    const std::regex span(R"(from (\S+Z) to (\S+Z) \()");
    std::smatch match;
    REQUIRE(std::regex_search(out, match, span));
    return match[2];
}

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/passerelle-simulate.XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

const std::multiset<Told> kWinter{
    {"capteur-muet", "ln-b-22", "firing", "logis-nord"},
    {"capteur-muet", "ln-b-22", "resolved", "logis-nord"},
    {"effacement-pompage", "pompage-sud", "firing", "eau"},
    {"effacement-pompage", "pompage-sud", "resolved", "eau"},
    {"fuite-eau", "cpt-ln-b", "firing", "eau"},
    {"fuite-eau", "cpt-ln-b", "firing", "logis-nord"},
    {"fuite-eau", "cpt-ln-b", "resolved", "eau"},
    {"fuite-eau", "cpt-ln-b", "resolved", "logis-nord"},
    {"panne-chauffage", "sst-nord", "firing", "chaleur"},
    {"panne-chauffage", "sst-nord", "firing", "habitat-sud"},
    {"panne-chauffage", "sst-nord", "firing", "logis-nord"},
    {"panne-chauffage", "sst-nord", "resolved", "chaleur"},
    {"panne-chauffage", "sst-nord", "resolved", "habitat-sud"},
    {"panne-chauffage", "sst-nord", "resolved", "logis-nord"},
};

}  // namespace

TEST_CASE("the recorded winter fires and resolves the four winter rules", "[simulate]") {
    const TempDir dir;
    const auto record = dir.path / "hiver.jsonl";
    const auto simulated =
        run_passerelle(dir.path, "simulate",
                       {"simulate", "-c", kExampleTerritoryConfig, "--scenario", "hiver", "--start",
                        "2026-11-25T10:00:00Z", "--no-publish", "--record", record.string()});
    INFO(simulated.err);
    REQUIRE(simulated.status.success());
    CHECK(simulated.out.find("simulate: scenario 'hiver', ") == 0);
    CHECK(simulated.out.find(" readings from 2026-11-25T10:00:00Z to ") != std::string::npos);
    CHECK(simulated.out.find("written to " + record.string()) != std::string::npos);
    CHECK(replay(dir.path, record) == kWinter);

    // The same start gives the same file; the alias names the same scenario.
    const auto again = dir.path / "winter.jsonl";
    REQUIRE(run_passerelle(
                dir.path, "simulate",
                {"simulate", "-c", kExampleTerritoryConfig, "--scenario", "winter", "--start",
                 "2026-11-25T10:00:00Z", "--no-publish", "--record", again.string()})
                .status.success());
    const auto read = [](const fs::path& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    CHECK(read(again) == read(record));
}

TEST_CASE("the heatwave started where the winter ended fires the heat rules", "[simulate]") {
    const TempDir dir;
    const auto winter = dir.path / "hiver.jsonl";
    const auto first =
        run_passerelle(dir.path, "hiver",
                       {"simulate", "-c", kExampleTerritoryConfig, "--scenario", "hiver", "--start",
                        "2026-11-24T23:00:00Z", "--no-publish", "--record", winter.string()});
    INFO(first.err);
    REQUIRE(first.status.success());
    // One step after the winter's last reading, as deploy/demo.sh does: no sensor looks silent
    // in between, and no reading is older than the ones before it.
    const std::string end = scenario_end(first.out);
    REQUIRE(end.size() == 20);
    const std::string minutes = end.substr(14, 2);
    CHECK(minutes == "00");  // the winter ends at a full hour (06:00 in Paris)
    std::string start = end;
    start.replace(14, 2, "15");
    const auto heat = dir.path / "canicule.jsonl";
    const auto second =
        run_passerelle(dir.path, "canicule",
                       {"simulate", "-c", kExampleTerritoryConfig, "--scenario", "canicule",
                        "--start", start, "--no-publish", "--record", heat.string()});
    INFO(second.err);
    REQUIRE(second.status.success());
    CHECK(second.out.find("from " + start + " to ") != std::string::npos);

    const auto both = dir.path / "both.jsonl";
    {
        std::ofstream out(both);
        out << std::ifstream(winter).rdbuf() << std::ifstream(heat).rdbuf();
    }
    const auto told = replay(dir.path, both);
    std::multiset<Told> winter_told;
    std::set<std::string> heat_recipients;
    std::size_t heat_firing = 0;
    std::size_t heat_resolved = 0;
    std::multiset<Told> buildings_told;
    std::set<std::string> ccas_firing_groups;
    std::set<std::string> ccas_resolved_groups;
    for (const auto& event : told) {
        const auto& [rule, key, status, recipient] = event;
        if (rule == "canicule-logement") {
            heat_recipients.insert(recipient);
            // The CCAS's route groups its alerts per building: several notices for a firing
            // group (alerts joining, reminders), one for its end.
            if (recipient == "ccas") {
                (status == "firing" ? ccas_firing_groups : ccas_resolved_groups).insert(key);
            } else {
                (status == "firing" ? heat_firing : heat_resolved) += 1;
            }
        } else if (rule == "immeuble-chaud") {
            buildings_told.insert(event);
        } else {
            winter_told.insert(event);
        }
    }
    // The winter's notifications are unchanged by what follows; the heatwave tells the CCAS and
    // the landlords, and every alert it raises ends. Each building gets hot as a whole too: its
    // landlord hears of it once.
    CHECK(winter_told == kWinter);
    CHECK(heat_recipients == std::set<std::string>{"ccas", "habitat-sud", "logis-nord"});
    CHECK(heat_firing > 0);
    CHECK(heat_resolved == heat_firing);
    CHECK_FALSE(ccas_firing_groups.empty());
    CHECK(ccas_resolved_groups == ccas_firing_groups);
    CHECK(buildings_told == std::multiset<Told>{
                                {"immeuble-chaud", "hs-bat-a", "firing", "habitat-sud"},
                                {"immeuble-chaud", "hs-bat-a", "resolved", "habitat-sud"},
                                {"immeuble-chaud", "ln-bat-b", "firing", "logis-nord"},
                                {"immeuble-chaud", "ln-bat-b", "resolved", "logis-nord"},
                            });
}

TEST_CASE("simulate refuses a malformed start and --no-publish without a record", "[simulate]") {
    const TempDir dir;
    const auto bad_start =
        run_passerelle(dir.path, "bad-start",
                       {"simulate", "-c", kExampleTerritoryConfig, "--start", "2026-11-25 10:00",
                        "--no-publish", "--record", (dir.path / "x.jsonl").string()});
    CHECK(bad_start.status.exited);
    CHECK(bad_start.status.code == 2);
    CHECK(bad_start.err.find("'2026-11-25 10:00' is not a UTC time") != std::string::npos);

    const auto no_record = run_passerelle(
        dir.path, "no-record", {"simulate", "-c", kExampleTerritoryConfig, "--no-publish"});
    CHECK(no_record.status.exited);
    CHECK(no_record.status.code == 2);
    CHECK(no_record.err.find("--no-publish requires --record") != std::string::npos);

    const auto unknown = run_passerelle(
        dir.path, "unknown", {"simulate", "-c", kExampleTerritoryConfig, "--scenario", "ete"});
    CHECK(unknown.status.exited);
    CHECK(unknown.status.code == 2);
}

// What deploy/demo.sh does, against a real broker and gateway: the winter, then the heatwave from
// one step after the winter's end. The live notifications are the replay's, every rule among
// them. The example's limits.max_clock_ahead may be too small for six days ahead: the test runs a
// copy of the territory with 7d. As in the demo, the substation's map is moved to a free port on
// loopback and polled every 20 ms: the simulator serves its registers, and the heating fault
// reaches the rules through the gateway's Modbus polls.
TEST_CASE("live, the winter then the heatwave notify what their replay does", "[simulate]") {
    const TempDir dir;
    const fs::path example = PASSERELLE_SOURCE_DIR "/examples/territoire";
    const fs::path territory = dir.path / "territoire";
    fs::create_directories(territory);
    fs::copy(example / "entities.yaml", territory / "entities.yaml");
    fs::copy(example / "rules", territory / "rules");
    fs::copy(example / "keys", territory / "keys");  // the meters' keys
    const auto modbus_port = find_free_port();
    REQUIRE(modbus_port.has_value());
    {
        fs::create_directories(territory / "modbus");
        std::ifstream in(example / "modbus" / "sst-nord.yaml");
        const std::string text(std::istreambuf_iterator<char>(in), {});
        const std::string local = std::regex_replace(
            std::regex_replace(text, std::regex("host: [0-9.]+, port: [0-9]+"),
                               "host: 127.0.0.1, port: " + std::to_string(*modbus_port)),
            std::regex("poll_s: [0-9]+"), "poll_s: 0.02");
        REQUIRE(local.find("port: " + std::to_string(*modbus_port)) != std::string::npos);
        REQUIRE(local.find("poll_s: 0.02") != std::string::npos);
        std::ofstream(territory / "modbus" / "sst-nord.yaml") << local;
    }
    {
        std::ifstream in(example / "passerelle.yaml");
        const std::string text(std::istreambuf_iterator<char>(in), {});
        std::ofstream(territory / "passerelle.yaml") << std::regex_replace(
            text, std::regex("max_clock_ahead: *\\S+"), "max_clock_ahead: 7d");
    }
    const std::string config = (territory / "passerelle.yaml").string();

    auto broker = MosquittoProcess::start();
    REQUIRE(broker.has_value());
    auto observer = TestClient::connect((*broker)->url());
    REQUIRE(observer.has_value());
    REQUIRE((*observer)->subscribe("notify/#").has_value());
    REQUIRE((*observer)->subscribe("passerelle/territoire-demo/status").has_value());
    ChildOptions gateway_options;
    gateway_options.executable = PASSERELLE_BINARY;
    gateway_options.args = {
        "run", "-c", config, "--broker", (*broker)->url(), "--data", (dir.path / "data").string()};
    gateway_options.stdout_path = dir.path / "gateway.out";
    gateway_options.stderr_path = dir.path / "gateway.err";
    auto gateway = ChildProcess::spawn(gateway_options);
    REQUIRE(gateway.has_value());
    REQUIRE((*observer)->wait_for_message(
        [](const ReceivedMessage& m) { return m.payload == "online"; }, 20s));
    // The CCAS's desks are connected, as the demo's: the route's fallback desk gets nothing, and
    // live notices are what the replay computes.
    for (const char* desk : {"ccas", "ccas/astreinte", "ccas/encadrement", "ccas/elu-astreinte"}) {
        REQUIRE((*observer)
                    ->publish(std::string("notify/") + desk + "/presence", "online", 1, true)
                    .has_value());
    }

    const auto play = [&](const std::string& name, std::vector<std::string> extra) {
        std::vector<std::string> args{"simulate",
                                      "-c",
                                      config,
                                      "--broker",
                                      (*broker)->url(),
                                      "--scenario",
                                      name,
                                      "--speed",
                                      "200000",
                                      "--no-watch",
                                      "--linger",
                                      "0",
                                      "--record",
                                      (dir.path / (name + ".jsonl")).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto run = run_passerelle(dir.path, name, args);
        INFO(run.err);
        REQUIRE(run.status.success());
        CHECK(run.err.find("warning") == std::string::npos);
        return run.out;
    };
    const std::string winter = play("hiver", {});
    // Every register set of the substation was polled, and its readings recorded as polled.
    const std::regex polls(
        R"(the gateway polled (\d+) of (\d+) Modbus register sets \(sst-nord\))");
    std::smatch polled;
    REQUIRE(std::regex_search(winter, polled, polls));
    CHECK(polled[1] == polled[2]);
    CHECK(std::stoul(polled[1]) > 300);
    {
        std::ifstream in(dir.path / "hiver.jsonl");
        const std::string recorded(std::istreambuf_iterator<char>(in), {});
        CHECK(recorded.find("telemetry/chaleur/sst-nord/heat_energy") != std::string::npos);
    }
    const std::string winter_end = scenario_end(winter);
    // The winter's end, plus one step: T1 is "YYYY-MM-DDTHH:MM:SSZ".
    std::tm tm{};
    REQUIRE(::strptime(winter_end.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
    const auto next =
        passerelle::timestamp_from_epoch_seconds(static_cast<double>(::timegm(&tm) + 900));
    REQUIRE(next.has_value());
    play("canicule", {"--start", passerelle::format_utc(*next)});

    const auto exit_status = (*gateway)->terminate(kDrainGrace);
    const std::string log = (*gateway)->read_stderr();
    INFO(log);  // what the gateway said, a sanitizer's report included
    REQUIRE(exit_status.success());
    CHECK(log.find(" 0 dead letters") != std::string::npos);
    const std::regex stopped(R"((\d+) notifications \((\d+) delivered)");
    std::smatch counts;
    REQUIRE(std::regex_search(log, counts, stopped));
    const std::size_t delivered = std::stoul(counts[2]);
    const auto is_notification = [](const ReceivedMessage& m) {
        return m.topic.starts_with("notify/") && !m.topic.ends_with("/presence");
    };
    for (int i = 0; i < 100; ++i) {
        const auto messages = (*observer)->messages();
        if (static_cast<std::size_t>(
                std::count_if(messages.begin(), messages.end(), is_notification)) >= delivered) {
            break;
        }
        (*observer)->wait_for_messages(messages.size() + 1, 100ms);
    }
    std::multiset<Told> live;
    for (const auto& message : (*observer)->messages()) {
        if (is_notification(message)) {
            const auto body = nlohmann::json::parse(message.payload);
            // A route's notice names its group where a notification names its key.
            live.emplace(body["rule"], body.contains("group") ? body["group"] : body["key"],
                         body["status"], body["recipient"]);
        }
    }

    const auto both = dir.path / "both.jsonl";
    {
        std::ofstream out(both);
        out << std::ifstream(dir.path / "hiver.jsonl").rdbuf()
            << std::ifstream(dir.path / "canicule.jsonl").rdbuf();
    }
    const auto offline = replay(dir.path, both, config);
    CHECK(live == offline);
    std::set<std::string> rules;
    for (const auto& [rule, key, status, recipient] : live) {
        rules.insert(rule);
    }
    CHECK(rules == std::set<std::string>{"canicule-logement", "capteur-muet", "effacement-pompage",
                                         "fuite-eau", "immeuble-chaud", "panne-chauffage"});
}
