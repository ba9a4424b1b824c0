// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/source_rate_limit.h"

#include <catch2/catch.hpp>

namespace passerelle::daemon {
namespace {

using namespace std::chrono_literals;

TEST_CASE("each source gets its burst, then its rate; the others are not affected") {
    SourceRateLimit limit(10, 3);
    const auto t0 = SourceRateLimit::Clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) {
        CHECK(limit.admit("telemetry/hs/d-1/temperature", t0));
    }
    CHECK_FALSE(limit.admit("telemetry/hs/d-2/temperature", t0));  // same source, burst spent
    CHECK(limit.admit("telemetry/ln/d-9/temperature", t0));         // another source
    CHECK_FALSE(limit.admit("telemetry/hs/d-1/temperature", t0 + 50ms));  // half a token
    CHECK(limit.admit("telemetry/hs/d-1/temperature", t0 + 100ms));        // one token back
    CHECK(limit.admit("telemetry/hs/d-1/temperature", t0 + 10s));
    CHECK(limit.admit("telemetry/hs/d-1/temperature", t0 + 10s));
    CHECK(limit.admit("telemetry/hs/d-1/temperature", t0 + 10s));
    CHECK_FALSE(limit.admit("telemetry/hs/d-1/temperature", t0 + 10s));  // never above the burst
}

TEST_CASE("a limit of 0 admits everything") {
    SourceRateLimit limit(0, 0);
    for (int i = 0; i < 1000; ++i) {
        CHECK(limit.admit("telemetry/hs/d-1/t", SourceRateLimit::Clock::time_point{}));
    }
}

TEST_CASE("the source is the topic's first two levels") {
    CHECK(SourceRateLimit::source_of("telemetry/hs/d-1/temperature") == "telemetry/hs");
    CHECK(SourceRateLimit::source_of("application/7/device/a8/event/up") == "application/7");
    CHECK(SourceRateLimit::source_of("wmbus/recepteur") == "wmbus/recepteur");
    CHECK(SourceRateLimit::source_of("alone") == "alone");
}

}  // namespace
}  // namespace passerelle::daemon
