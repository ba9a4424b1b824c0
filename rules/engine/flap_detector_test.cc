// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/flap_detector.h"

#include <catch2/catch.hpp>

using namespace passerelle;         // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
using Verdict = FlapDetector::Verdict;

namespace {
const Timestamp kT0 = Timestamp(std::chrono::hours(490000));
}

TEST_CASE("without a policy every transition is notified", "[flap]") {
    FlapDetector flap;
    for (int i = 0; i < 50; ++i) {
        CHECK(flap.on_transition(FlapPolicy{}, kT0 + std::chrono::seconds(i)) == Verdict::Notify);
    }
    CHECK_FALSE(flap.flapping());
    CHECK_FALSE(flap.calm_at(FlapPolicy{}).has_value());
}

TEST_CASE("the Nth transition inside the window starts flapping, then quiet", "[flap]") {
    const FlapPolicy policy{4, 1h};
    FlapDetector flap;
    CHECK(flap.on_transition(policy, kT0) == Verdict::Notify);
    CHECK(flap.on_transition(policy, kT0 + 10min) == Verdict::Notify);
    CHECK(flap.on_transition(policy, kT0 + 20min) == Verdict::Notify);
    CHECK(flap.on_transition(policy, kT0 + 30min) == Verdict::StartsFlapping);
    CHECK(flap.flapping());
    CHECK(flap.on_transition(policy, kT0 + 40min) == Verdict::Quiet);
    // Calm one window after the latest transition, not the first.
    REQUIRE(flap.calm_at(policy) == kT0 + 100min);
    CHECK_FALSE(flap.settle(policy, kT0 + 99min));
    CHECK(flap.on_transition(policy, kT0 + 99min) == Verdict::Quiet);
    CHECK(flap.calm_at(policy) == kT0 + 159min);
    CHECK(flap.settle(policy, kT0 + 159min));
    CHECK_FALSE(flap.flapping());
    // Calm again: the count starts over.
    CHECK(flap.on_transition(policy, kT0 + 160min) == Verdict::Notify);
}

TEST_CASE("transitions spread wider than the window never flap", "[flap]") {
    const FlapPolicy policy{3, 1h};
    FlapDetector flap;
    for (int i = 0; i < 20; ++i) {
        // Every 31 minutes: two fit in an hour, never three.
        CHECK(flap.on_transition(policy, kT0 + std::chrono::minutes(31 * i)) == Verdict::Notify);
    }
    CHECK_FALSE(flap.flapping());
}

TEST_CASE("a transition exactly one window later no longer counts", "[flap]") {
    const FlapPolicy policy{2, 1h};
    FlapDetector flap;
    CHECK(flap.on_transition(policy, kT0) == Verdict::Notify);
    CHECK(flap.on_transition(policy, kT0 + 60min) == Verdict::Notify);
    CHECK(flap.on_transition(policy, kT0 + 119min) == Verdict::StartsFlapping);
}
