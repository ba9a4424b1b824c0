// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/agreement_calendar.h"

#include <catch2/catch.hpp>

namespace passerelle::daemon {

TEST_CASE("agreement calendar: ends and starts are said on their date, once", "[sharing]") {
    Agreement summer;
    summer.id = "canicule-hs";
    summer.from = "hs";
    summer.to = {"ccas"};
    summer.data = {"temperature"};
    summer.valid_from = *parse_utc("2026-06-01T00:00:00Z");
    summer.valid_from_text = "2026-06-01";
    summer.valid_until = *parse_utc("2026-10-01T00:00:00Z");
    summer.valid_until_text = "2026-09-30";
    Agreement always = summer;
    always.id = "vigilance";
    always.valid_from.reset();
    always.valid_until.reset();
    const std::vector<Agreement> agreements{summer, always};
    AgreementCalendar calendar(agreements);

    CHECK(calendar.update(*parse_utc("2026-05-20T00:00:00Z")) ==
          std::vector<std::string>{
              "sharing agreement 'canicule-hs' (hs → ccas, temperature) starts on 2026-06-01"});
    CHECK(calendar.to_json() ==
          nlohmann::json::parse(R"({"in_force": 1, "ended": [], "not_started": ["canicule-hs"]})"));
    CHECK(calendar.update(*parse_utc("2026-05-21T00:00:00Z")).empty());
    CHECK(calendar.update(*parse_utc("2026-06-01T00:00:00Z")) ==
          std::vector<std::string>{"sharing agreement 'canicule-hs' (hs → ccas, temperature) is "
                                   "in force from today, 2026-06-01"});
    CHECK(calendar.to_json()["in_force"] == 2);
    CHECK(calendar.update(*parse_utc("2026-10-01T00:00:00Z")) ==
          std::vector<std::string>{"sharing agreement 'canicule-hs' (hs → ccas, temperature) "
                                   "ended on 2026-09-30: the notifications it allowed are no "
                                   "longer sent"});
    CHECK(calendar.update(*parse_utc("2026-10-02T00:00:00Z")).empty());
    CHECK(calendar.to_json() ==
          nlohmann::json::parse(R"({"in_force": 1, "ended": ["canicule-hs"], "not_started": []})"));
}

}  // namespace passerelle::daemon
