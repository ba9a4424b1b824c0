// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/outbox_resend.h"

#include <catch2/catch.hpp>

namespace passerelle::daemon {
namespace {

ReadyNotification entry(std::uint64_t id, const std::string& topic, const std::string& payload) {
    return ReadyNotification{id, {"ccas", "r", "a", "firing", {}, topic}, payload};
}

TEST_CASE("copies coming back confirm held entries; the marker releases the others") {
    OutboxResend resend("passerelle/demo/outbox-marker");
    CHECK_FALSE(resend.confirm("notify/ccas/r/k", "{}"));  // nothing held: ignored
    resend.hold({entry(7, "notify/ccas/r/k1", R"({"n":1})"),
                 entry(9, "notify/ccas/r/k2", R"({"n":2})"),
                 entry(12, "notify/ccas/r/k1", R"({"n":3})")});
    CHECK(resend.holding());
    const std::string marker = resend.next_marker();
    CHECK(resend.next_marker() != marker);  // each connection its own
    const std::string latest = resend.next_marker();

    CHECK(resend.confirm("notify/ccas/r/k2", R"({"n":2})") == std::optional<std::uint64_t>(9));
    CHECK_FALSE(resend.confirm("notify/ccas/r/k2", R"({"n":2})"));  // once
    CHECK_FALSE(resend.confirm("notify/ccas/r/k2", R"({"n":1})"));  // same topic, other payload
    CHECK_FALSE(resend.is_marker("passerelle/demo/outbox-marker", marker));
    CHECK_FALSE(resend.is_marker("passerelle/other/outbox-marker", latest));
    CHECK(resend.is_marker("passerelle/demo/outbox-marker", latest));

    const auto rest = resend.release();
    REQUIRE(rest.size() == 2);
    CHECK(rest[0].id == 7);
    CHECK(rest[1].id == 12);
    CHECK(resend.confirmed() == 1);
    CHECK_FALSE(resend.holding());
    CHECK_FALSE(resend.confirm("notify/ccas/r/k1", R"({"n":1})"));
}

}  // namespace
}  // namespace passerelle::daemon
