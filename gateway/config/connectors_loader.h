// SPDX-License-Identifier: Apache-2.0
// The `connectors:` section of passerelle.yaml: where field data arrives before it is canonical.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gateway/config/settings.h"
#include "gateway/core/diagnostic.h"

namespace passerelle::config {

/// Reads `connectors: {wmbus: {topics: [...], format_b: false}, wmbusmeters: {topics: [...]}}`.
/// A topic filter must be valid and must not reach canonical topics (telemetry/…, signal/…),
/// which the connectors write.
void read_connectors(const YAML::Node& node, const std::string& file, ConnectorSettings& out,
                     Diagnostics& diagnostics);

}  // namespace passerelle::config
