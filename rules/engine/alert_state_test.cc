// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/alert_state.h"

#include <catch2/catch.hpp>

using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;
using passerelle::Duration;
using passerelle::Timestamp;

namespace {
Timestamp at(int minutes) { return Timestamp(Duration(std::chrono::minutes(minutes))); }
Observation seen(int minutes, std::optional<bool> when) { return {at(minutes), when, {}, false}; }
}  // namespace

TEST_CASE("an alert fires once its condition has held for the whole `for`", "[alert-state]") {
    AlertState state;
    CHECK(observe(state, seen(0, true), 2h) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Pending);
    CHECK(observe(state, seen(60, true), 2h) == AlertChange::None);
    CHECK(observe(state, seen(120, true), 2h) == AlertChange::Fired);
    CHECK(state.firing_since == at(120));
    CHECK(observe(state, seen(150, true), 2h) == AlertChange::None);
}

TEST_CASE("a condition that stops holding resets the `for` timer", "[alert-state]") {
    AlertState state;
    observe(state, seen(0, true), 2h);
    CHECK(observe(state, seen(90, false), 2h) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Inactive);
    observe(state, seen(100, true), 2h);
    CHECK(observe(state, seen(200, true), 2h) == AlertChange::None);
    CHECK(observe(state, seen(220, true), 2h) == AlertChange::Fired);
}

TEST_CASE("unknown data neither starts nor resolves an alert", "[alert-state]") {
    AlertState state;
    CHECK(observe(state, seen(0, std::nullopt), 0min) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Inactive);
    CHECK(observe(state, seen(1, true), 0min) == AlertChange::Fired);
    CHECK(observe(state, seen(2, std::nullopt), 0min) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Firing);
    CHECK(observe(state, seen(3, false), 0min) == AlertChange::Resolved);
}

TEST_CASE("a clear condition gives hysteresis", "[alert-state]") {
    AlertState state;
    observe(state, {at(0), true, false, true}, 0min);
    REQUIRE(state.phase == AlertPhase::Firing);
    // Below the firing threshold but not yet below the clear threshold: still firing.
    CHECK(observe(state, {at(10), false, false, true}, 0min) == AlertChange::None);
    CHECK(observe(state, {at(20), false, std::nullopt, true}, 0min) == AlertChange::None);
    CHECK(observe(state, {at(30), false, true, true}, 0min) == AlertChange::Resolved);
    CHECK(state.phase == AlertPhase::Inactive);
}

TEST_CASE("time alone fires a pending alert at its deadline", "[alert-state]") {
    AlertState state;
    observe(state, seen(0, true), 2h);
    Timestamp fired_at{};
    CHECK(on_time(state, at(119), 2h, fired_at) == AlertChange::None);
    CHECK(on_time(state, at(180), 2h, fired_at) == AlertChange::Fired);
    CHECK(fired_at == at(120));
    CHECK(on_time(state, at(240), 2h, fired_at) == AlertChange::None);
}

TEST_CASE("clear_for: the clear condition must hold for a while before the alert resolves",
          "[alert-state]") {
    AlertState state;
    const auto clear = [](int minutes, std::optional<bool> value) {
        return Observation{at(minutes), true, value, true};
    };
    CHECK(observe(state, seen(0, true), 0min, 30min) == AlertChange::Fired);
    CHECK(observe(state, clear(10, true), 0min, 30min) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Resolving);
    CHECK(next_deadline(state, 0min, 30min) == at(40));
    // Not clear any more (or unknown): firing again, no notice, and the delay starts afresh.
    CHECK(observe(state, clear(20, std::nullopt), 0min, 30min) == AlertChange::None);
    CHECK(state.phase == AlertPhase::Firing);
    CHECK_FALSE(next_deadline(state, 0min, 30min));
    CHECK(observe(state, clear(25, true), 0min, 30min) == AlertChange::None);
    Timestamp changed{};
    CHECK(on_time(state, at(54), 0min, changed, 30min) == AlertChange::None);
    CHECK(on_time(state, at(55), 0min, changed, 30min) == AlertChange::Resolved);
    CHECK(changed == at(55));
    CHECK(state.phase == AlertPhase::Inactive);
}
