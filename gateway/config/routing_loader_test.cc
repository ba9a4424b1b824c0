// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/routing_loader.h"

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"
#include "gateway/config/settings_loader.h"

namespace passerelle::config {
namespace {

using namespace std::chrono_literals;
using testing::errors;
using testing::TempDir;

std::optional<Settings> load_routing(const TempDir& dir, const std::string& routing,
                                     Diagnostics& diagnostics) {
    dir.write("rules/none.yaml", "version: 1\nrules: []\n");
    return load_settings(dir.write("passerelle.yaml",
                                   "stakeholders: [{id: hs}, {id: ccas}]\n"
                                   "rules: [rules/*.yaml]\n" +
                                       routing),
                         diagnostics);
}

}  // namespace

TEST_CASE("routing: intervals and routes as written", "[settings]") {
    TempDir dir;
    Diagnostics diagnostics;
    const auto settings =
        load_routing(dir,
                     "routing:\n"
                     "  time_intervals:\n"
                     "    - id: bureau\n"
                     "      weekdays: [lundi-vendredi]\n"
                     "      hours: ['08:30-12:00', '13:30-17:30']\n"
                     "      except_holidays: france\n"
                     "    - {id: week-end, weekdays: saturday-sunday}\n"
                     "  routes:\n"
                     "    - recipient: ccas\n"
                     "      rules: canicule\n"
                     "      match: {severity: critical}\n"
                     "      group_by: [building]\n"
                     "      group_wait: 1min\n"
                     "      group_interval: 10min\n"
                     "      repeat_interval: never\n"
                     "      receivers:\n"
                     "        - during: bureau\n"
                     "        - {desk: astreinte, outside: bureau}\n"
                     "      fallback: {desk: secours, after: 10min}\n"
                     "    - recipient: hs\n"
                     "  inhibit:\n"
                     "    - source: {rule: panne-chauffage}\n"
                     "      target: {rule: logement-froid}\n"
                     "      served: true\n"
                     "    - {source: {severity: critical}, target: {severity: warning},\n"
                     "       equal: [building]}\n",
                     diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings);
    const auto& routing = settings->routing;
    REQUIRE(routing.intervals.size() == 2);
    CHECK(routing.intervals[0].weekdays == 0x1f);
    CHECK(routing.intervals[0].hours.size() == 2);
    CHECK(routing.intervals[0].except_holidays == routing::HolidayCalendar::France);
    CHECK(routing.intervals[1].weekdays == 0x60);
    REQUIRE(routing.routes.size() == 2);
    const auto& ccas = routing.routes[0];
    CHECK(ccas.rules == std::vector<std::string>{"canicule"});
    CHECK(ccas.match.at("severity") == "critical");
    CHECK(ccas.group_wait == 1min);
    CHECK(ccas.group_interval == 10min);
    CHECK_FALSE(ccas.repeat_interval);
    REQUIRE(ccas.receivers.size() == 2);
    CHECK(ccas.receivers[1].desk == "astreinte");
    CHECK(ccas.receivers[1].outside);
    REQUIRE(ccas.fallback);
    CHECK(ccas.fallback->desk == "secours");
    CHECK(ccas.fallback->after == 10min);
    CHECK_FALSE(routing.routes[1].fallback);
    CHECK(routing.routes[1].repeat_interval == 4h);  // the defaults
    CHECK(routing.routes[1].group_wait == 30s);
    REQUIRE(routing.inhibitions.size() == 2);
    CHECK(routing.inhibitions[0].source.at("rule") == "panne-chauffage");
    CHECK(routing.inhibitions[0].target.at("rule") == "logement-froid");
    CHECK(routing.inhibitions[0].served);
    CHECK(routing.inhibitions[1].equal == std::vector<std::string>{"building"});
    CHECK_FALSE(routing.inhibitions[1].served);
}

TEST_CASE("routing: each mistake at its line and column", "[settings]") {
    TempDir dir;
    Diagnostics diagnostics;
    const auto settings = load_routing(dir,
                                       "routing:\n"
                                       "  time_intervals:\n"
                                       "    - id: bureau\n"
                                       "      weekdays: [lundi-vendrdi]\n"
                                       "      hours: ['17:30-08:30']\n"
                                       "      except_holidays: belgique\n"
                                       "  routes:\n"
                                       "    - recipient: ccass\n"
                                       "      repeat_interval: 10s\n"
                                       "      receivers:\n"
                                       "        - {desk: ack, during: bureaux}\n"
                                       "        - {during: bureau, outside: bureau}\n"
                                       "    - recipient: ccas\n"
                                       "      fallback: {desk: presence}\n"
                                       "    - recipient: ccas\n"
                                       "      fallback: {desk: secours, after: 0s}\n"
                                       "  inhibit:\n"
                                       "    - {target: [logement-froid], served: oui}\n",
                                       diagnostics);
    CHECK_FALSE(settings);
    const std::string text = errors(diagnostics);
    INFO(text);
    for (const char* expected :
         {":6:18: error[config.bad-weekday]: 'lundi-vendrdi' is not a day",
          ":7:15: error[config.bad-hours]: '17:30-08:30' is not a range of hours",
          ":8:24: error[config.bad-holidays]: 'except_holidays' is france or alsace-moselle",
          ":10:18: error[config.unknown-stakeholder]: 'ccass' is not a declared stakeholder; "
          "did you mean 'ccas'?",
          ":11:24: error[config.bad-interval]: 'repeat_interval' must be at least 1min",
          ":13:18: error[config.bad-desk]: desk 'ack' must be a name",
          ":13:31: error[config.unknown-interval]: 'bureaux' is not a time interval",
          ":14:11: error[config.bad-receiver]: a receiver takes 'during' or 'outside'",
          ":16:17: error[config.bad-fallback]: a fallback needs 'after'",
          ":16:24: error[config.bad-desk]: desk 'presence' must be a name",
          ":18:40: error[config.bad-fallback]: the fallback's 'after' must be longer than 0",
          ":20:7: error[config.bad-inhibit]: an inhibition needs 'source'",
          ":20:16: error[config.bad-inhibit]: 'target' maps labels to values",
          ":20:42: error[config.bad-inhibit]: 'served' is true"}) {
        CHECK(text.find(expected) != std::string::npos);
    }
}

}  // namespace passerelle::config
