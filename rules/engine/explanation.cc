// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/explanation.h"

namespace passerelle::rules {
namespace {

using nlohmann::json;

json result_json(const std::optional<bool>& result) {
    return result ? json(*result) : json("unknown");
}

long long seconds(Duration duration) {
    return std::chrono::duration_cast<std::chrono::seconds>(duration).count();
}

}  // namespace

const char* to_string(ExplainCause cause) {
    switch (cause) {
        case ExplainCause::Reading:
            return "reading";
        case ExplainCause::JoinChange:
            return "joined value changed";
        case ExplainCause::Clock:
            return "clock";
        case ExplainCause::Deadline:
            return "deadline";
        case ExplainCause::Repeat:
            return "repeat";
        case ExplainCause::Calm:
            return "calm after flapping";
    }
    return "?";
}

json to_json(const Explanation& explanation) {
    json inputs = json::array();
    for (const auto& input : explanation.inputs) {
        inputs.push_back(
            {{"source", input.source},
             {"value", input.value ? std::visit([](const auto& v) { return json(v); }, *input.value)
                                   : json()}});
    }
    json out = {
        {"cause", to_string(explanation.cause)},
        {"topic", explanation.topic},
        {"when", explanation.when},
        {"when_result", result_json(explanation.when_result)},
        {"inputs", std::move(inputs)},
        {"pending_since", format_utc(explanation.pending_since)},
        {"firing_since", format_utc(explanation.firing_since)},
        {"for_s", seconds(explanation.for_duration)},
    };
    if (!explanation.clear.empty()) {
        out["clear"] = explanation.clear;
        out["clear_result"] = result_json(explanation.clear_result);
    }
    if (explanation.resolving_since) {
        out["resolving_since"] = format_utc(*explanation.resolving_since);
        out["clear_for_s"] = seconds(explanation.clear_for);
    }
    return out;
}

}  // namespace passerelle::rules
