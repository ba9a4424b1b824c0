// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/signal_action.h"

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"

namespace passerelle::rules {

bool check_signal_topic(const Located<std::string>& topic, const Territory* territory,
                        Diagnostics& diagnostics) {
    const auto levels = split_topic(topic.value);
    if (levels.size() != 3 || levels[0] != "signal" || levels[2].empty()) {
        diagnostics.error(
            "rules.bad-signal-topic",
            fmt::format("'publish' takes a signal topic, signal/<stakeholder>/<name>, "
                        "not '{}'",
                        topic.value),
            topic.span);
        return false;
    }
    const std::string provider(levels[1]);
    if (provider.find("{{") != std::string::npos) {
        diagnostics.error("rules.bad-signal-topic",
                          "the stakeholder publishing a signal is written as such, not as a "
                          "placeholder: the signal's owner must be known when rules load",
                          topic.span);
        return false;
    }
    if (territory != nullptr && territory->find_stakeholder(provider) == nullptr) {
        diagnostics.error("rules.unknown-stakeholder",
                          fmt::format("'{}' is not a declared stakeholder{}", provider,
                                      did_you_mean(provider, territory->stakeholder_ids())),
                          topic.span);
        return false;
    }
    return true;
}

std::string signal_topic_pattern(std::string_view topic) {
    const auto levels = split_topic(topic);
    std::string pattern;
    for (const auto level : levels) {
        if (!pattern.empty()) {
            pattern += '/';
        }
        pattern += level.find("{{") == std::string_view::npos ? std::string(level) : "+";
    }
    return pattern;
}

}  // namespace passerelle::rules
