// SPDX-License-Identifier: Apache-2.0
// Why an alert changed: the inputs its conditions read and what they gave, at the transition.
// Kept by the gateway for operators (`passerelle explain`), never sent to recipients: the inputs
// may come from other parties than the recipient's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/reading.h"
#include "gateway/core/time.h"

namespace passerelle::rules {

/// What made the engine evaluate the rule when the transition happened.
enum class ExplainCause {
    Reading,     // a reading of the key
    JoinChange,  // a topic the rule reads with last() changed value
    Clock,       // a minute of rule time passed (windows, age(), calendar)
    Deadline,    // `for` or `clear_for` elapsed with no new reading
    Repeat,      // `repeat` elapsed while firing
    Calm,        // a flapping key has been calm for the policy's window
};

const char* to_string(ExplainCause cause);

struct ExplainedInput {
    std::string source;  // as the condition names it: value, last("…"), avg(…), entity.x
    std::optional<Value> value;  // absent: unknown (no data yet, window not covered…)
};

struct Explanation {
    ExplainCause cause = ExplainCause::Reading;
    std::string topic;      // the topic of the key's latest reading
    std::string_view when;  // the condition, as written
    std::optional<bool> when_result;
    std::string_view clear;  // empty without a clear condition
    std::optional<bool> clear_result;
    /// Every input the conditions read (the actions' `when` too), each once.
    std::vector<ExplainedInput> inputs;
    /// The state machine's times: since when the condition held (pending), fired, cleared.
    Timestamp pending_since{};
    Timestamp firing_since{};
    std::optional<Timestamp> resolving_since;
    Duration for_duration{0};
    Duration clear_for{0};
};

/// The JSON form kept in the explain log and printed by `replay --explain`.
nlohmann::json to_json(const Explanation& explanation);

}  // namespace passerelle::rules
