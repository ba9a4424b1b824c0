// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/disabled_actions.h"

#include <catch2/catch.hpp>

namespace passerelle::daemon {

TEST_CASE("disabled actions: said once, listed while stopped, cleared when they send again",
          "[sharing]") {
    Agreement ended;
    ended.id = "canicule-hs";
    ended.valid_until_text = "2026-09-30";
    const rules::BlockedNotification blocked{
        "ccas", 0, {"hs", "temperature", "hs-1", false}, {FlowVerdict::Expired, &ended}};
    const Timestamp october = *parse_utc("2026-10-01T08:00:00Z");
    DisabledActions actions;
    CHECK(actions.stopped("canicule", blocked, october));
    CHECK_FALSE(actions.stopped("canicule", blocked, october + std::chrono::hours(1)));
    CHECK(actions.blocked_total() == 2);
    CHECK(actions.to_json() == nlohmann::json::parse(R"([{"rule": "canicule", "action": 1,
        "recipient": "ccas", "provider": "hs", "data": "temperature", "reason": "expired",
        "agreement": "canicule-hs", "since": "2026-10-01T08:00:00Z", "blocked": 2}])"));
    CHECK(refusal_reason(blocked.check) == "the agreement 'canicule-hs' ended on 2026-09-30");
    CHECK(refusal_reason({FlowVerdict::Missing, nullptr}) == "no agreement covers it");
    CHECK_FALSE(actions.sent("canicule", 1, "ccas"));  // another action
    CHECK(actions.sent("canicule", 0, "ccas"));
    CHECK(actions.to_json().empty());
    CHECK(actions.blocked_total() == 2);
}

}  // namespace passerelle::daemon
