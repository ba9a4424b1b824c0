// SPDX-License-Identifier: Apache-2.0
// The `connectors:` section of passerelle.yaml: where field data arrives before it is canonical.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gateway/config/settings.h"
#include "gateway/core/diagnostic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {

/// The `topics` of a connector's block: valid MQTT filters that do not reach canonical topics.
std::vector<std::string> read_topics(rules::MappingReader& reader, const std::string& connector);

/// Reads `connectors: {wmbus: {topics: [...], format_b: false}, wmbusmeters: {topics: [...]},
/// lorawan: {topics: [application/+/device/+/event/up, v3/+/devices/+/up]},
/// mbus_tcp: [{endpoint: host:port, addresses: [1, 2], interval: 15min, timeout: 2s,
/// attempts: 3}], modbus: {devices: [modbus/sst-nord.yaml]}, json: [{topics: [...], entity: ...,
/// values: [...]}]}`, device files relative to `file` (json mappings: see read_json_mapping).
/// A topic filter must be valid and must not reach canonical topics (telemetry/…, signal/…),
/// which the connectors write.
void read_connectors(const YAML::Node& node, const std::string& file, ConnectorSettings& out,
                     Diagnostics& diagnostics);

}  // namespace passerelle::config
