// SPDX-License-Identifier: Apache-2.0
// `publish` actions: the derived signal's topic, checked when rules load.
#pragma once

#include <string>
#include <string_view>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

/// A publish topic is `signal/<stakeholder>/<name>`: a declared stakeholder written as such, and a
/// name that may hold placeholders (`surchauffe-{{key}}`). Reports what is wrong at its place.
/// `territory` is null when rules are checked without their configuration.
bool check_signal_topic(const Located<std::string>& topic, const Territory* territory,
                        Diagnostics& diagnostics);

/// The topic with its placeholders' level as `+`, to compare with listen filters: a rule that
/// hears its own signal would feed itself.
std::string signal_topic_pattern(std::string_view topic);

}  // namespace passerelle::rules
