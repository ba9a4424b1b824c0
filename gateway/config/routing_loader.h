// SPDX-License-Identifier: Apache-2.0
// `routing:` in passerelle.yaml: the time intervals (office hours, on-call) and the routes that
// group, repeat and direct each recipient's notifications (docs/routing.md).
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "gateway/routing/route.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::config {

/// `routing: {time_intervals: [...], routes: [...]}`. Needs the stakeholders loaded.
routing::RoutingConfig read_routing(const YAML::Node& node, const std::string& file,
                                    const Territory& territory, Diagnostics& diagnostics);

/// A route naming a rule that no rules file defines takes nothing: a warning, at the route.
void check_route_rules(const routing::RoutingConfig& routing, const rules::RuleSet& rule_set,
                       Diagnostics& diagnostics);

}  // namespace passerelle::config
