// SPDX-License-Identifier: Apache-2.0
// The `publish` action: an alert transition sets derived signals, published as canonical readings.
#pragma once

#include <string>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/actions/notification.h"
#include "rules/engine/alert_event.h"
#include "rules/engine/engine.h"

namespace passerelle::rules {

struct DerivedSignal {
    std::string topic;  // signal/<stakeholder>/<name>
    Reading reading;    // provider, name (as entity and quantity), value, the transition's time
};

/// The signals one transition sets: one per `publish` action whose value could be computed.
/// With `territory`, a signal that would republish data its owner may not receive at the
/// event's time is not set, and reported in `blocked` when given (its `action` counts the
/// notify actions first, then the publish actions).
std::vector<DerivedSignal> plan_signals(const AlertEvent& event,
                                        const Territory* territory = nullptr,
                                        std::vector<BlockedNotification>* blocked = nullptr);

/// How many rounds of signals setting signals an offline run follows: a chain of rules longer
/// than this is surely a loop through several rules.
inline constexpr int kMaxSignalRounds = 16;

/// Offline runs (replay, rule tests) give the engine the signals `events` set, as the broker
/// does for a live gateway; the transitions they cause go to `out`.
void feed_back_signals(Engine& engine, const std::vector<AlertEvent>& events,
                       std::vector<AlertEvent>& out);

}  // namespace passerelle::rules
