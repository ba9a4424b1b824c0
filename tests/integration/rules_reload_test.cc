// SPDX-License-Identifier: Apache-2.0
// `passerelle run` reloads its rules when their files change on disk, as on SIGHUP.
#include <filesystem>
#include <fstream>
#include <string_view>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/integration/gateway_harness.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

// A rule notifying the landlord of each temperature satisfying `when`.
std::string rules_file(const std::string& id, const std::string& when) {
    return "version: 1\nrules:\n  - id: " + id +
           "\n    listen: telemetry/+/+/temperature\n    when: " + when +
           "\n    actions:\n      - notify: \"{{provider}}\"\n"
           "        message: \"{{entity}} : {{value}} °C\"\n";
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

// Polls the gateway's log until it holds `needle` `count` times, up to a deadline.
bool wait_for_log(const GatewayHarness& h, std::string_view needle, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (occurrences(h.gateway_log(), needle) < count) {
        if (std::chrono::steady_clock::now() > deadline) {
            WARN("no '" << needle << "' in the gateway's log:\n" << h.gateway_log());
            return false;
        }
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

bool notified(GatewayHarness& h, const std::string& topic) {
    if (h.observer().wait_for_message(
            [&topic](const ReceivedMessage& m) { return m.topic == topic; }, 20s)) {
        return true;
    }
    WARN("no notification on " << topic << "; the gateway's log:\n" << h.gateway_log());
    return false;
}

constexpr std::string_view kChanged = "rules changed on disk: reloading";
constexpr std::string_view kReloaded = "reload: 1 rules";

}  // namespace

TEST_CASE("rules edited on disk are reloaded, and an invalid version is refused until fixed",
          "[e2e]") {
    GatewayHarness h;
    const auto rules = h.write_file("rules/chaud.yaml", rules_file("seuil", "value >= 30"));
    h.start_gateway("debug");
    h.publish_temperature("d-1", 0, 25.0);
    h.sync();
    CHECK(h.notifications().empty());

    // An editor's save: a temporary file renamed over the rules file.
    const auto temporary =
        h.write_file("rules/.chaud.yaml.tmp", rules_file("seuil", "value >= 20"));
    std::filesystem::rename(temporary, rules);
    REQUIRE(wait_for_log(h, kReloaded, 1));
    h.publish_temperature("d-1", 1, 25.0);
    CHECK(notified(h, "notify/hs/seuil/d-1"));

    // The same bytes written again: noticed, and not reloaded.
    h.write_file("rules/chaud.yaml", rules_file("seuil", "value >= 20"));
    REQUIRE(wait_for_log(h, "rules files touched on disk but unchanged: not reloaded", 1));
    CHECK(occurrences(h.gateway_log(), kChanged) == 1);

    h.write_file("rules/chaud.yaml", rules_file("seuil", "valeur >= 20"));
    REQUIRE(wait_for_log(h, "reload refused", 1));
    const std::string log = h.gateway_log();
    CHECK(occurrences(log, kChanged) == 2);
    CHECK_THAT(log, Catch::Contains("rules/chaud.yaml:5:11: error[expr.unknown-identifier]"));
    CHECK_THAT(log, Catch::Contains("the running rules stay"));
    h.publish_temperature("d-2", 2, 25.0);  // fires under the running `value >= 20` only
    CHECK(notified(h, "notify/hs/seuil/d-2"));

    h.write_file("rules/chaud.yaml", rules_file("froid", "value < 15"));
    REQUIRE(wait_for_log(h, kReloaded, 2));
    h.publish_temperature("d-1", 3, 10.0);
    CHECK(notified(h, "notify/hs/froid/d-1"));
    CHECK(occurrences(h.gateway_log(), kChanged) == 3);
}
