// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/echo_filter.h"

#include <catch2/catch.hpp>

namespace passerelle::daemon {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a reading the gateway published is recognised once when it comes back") {
    EchoFilter echoes;
    const auto t0 = EchoFilter::Clock::time_point{};
    echoes.expect("telemetry/p/e/q", "[1]", t0);
    CHECK_FALSE(echoes.take("telemetry/p/e/q", "[2]", t0));  // another payload: a party's own
    CHECK_FALSE(echoes.take("telemetry/p/e/other", "[1]", t0));
    CHECK(echoes.take("telemetry/p/e/q", "[1]", t0 + 1ms));
    CHECK_FALSE(echoes.take("telemetry/p/e/q", "[1]", t0 + 2ms));  // a second copy is not ours
}

TEST_CASE("the same message published twice comes back twice") {
    EchoFilter echoes;
    const auto t0 = EchoFilter::Clock::time_point{};
    echoes.expect("t", "x", t0);
    echoes.expect("t", "x", t0 + 10s);
    CHECK(echoes.take("t", "x", t0 + 11s));
    // The first entry expires: the second copy is still expected until its own time.
    CHECK(echoes.take("t", "x", t0 + 65s));
    CHECK_FALSE(echoes.take("t", "x", t0 + 66s));
    CHECK(echoes.waiting() == 1);  // the second entry, back already, until it expires
    CHECK_FALSE(echoes.take("t", "x", t0 + 71s));
    CHECK(echoes.waiting() == 0);
}

TEST_CASE("a copy that never comes back is forgotten") {
    EchoFilter echoes;
    const auto t0 = EchoFilter::Clock::time_point{};
    echoes.expect("t", "x", t0);
    CHECK(echoes.waiting() == 1);
    CHECK_FALSE(echoes.take("t", "x", t0 + EchoFilter::kForgetAfter));
    CHECK(echoes.waiting() == 0);
}

}  // namespace
}  // namespace passerelle::daemon
