// SPDX-License-Identifier: Apache-2.0
// Declarative JSON mappings in YAML: the `connectors: json:` entries and the `fields` of a LoRaWAN
// device decoded by its network server share the value spec read here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "connectors/json/mapping.h"
#include "gateway/core/diagnostic.h"
#include "gateway/core/field_mapping.h"
#include "gateway/core/territory.h"

namespace passerelle::config {

/// Reads `[{quantity: temperature, pointer: /t, unit: Cel, scale: 0.1, offset: 0}, ...]`: a
/// non-empty list of value specs. `quantity` is a name, `{topic_segment: N}` or `{pointer: /p}`;
/// `unit` a SenML unit, or `unit_pointer: /u` (not both; neither: no unit); `scale` (not 0) and
/// `offset` finite numbers; `optional: true` lets the member be absent. A topic_segment must name
/// a `+` level of every filter of `topic_filters`; with no filters (LoRaWAN) it is refused.
/// Errors carry file:line:column: config.bad-pointer, config.bad-segment, config.unknown-unit,
/// config.bad-scale, config.bad-field, config.bad-name, and unknown keys with a suggestion.
std::vector<FieldSpec> read_field_specs(const YAML::Node& node, const std::string& file,
                                        const std::string& key,
                                        const std::vector<std::string>& topic_filters,
                                        Diagnostics& diagnostics);

/// Reads one `connectors: json:` entry: `topics` (as every connector's), `entity` (a name,
/// `{topic_segment: N}` or `{pointer: /p}`), `records` (a pointer), `time` (`{pointer: /p,
/// format: rfc3339|unix_s|unix_ms}`) and `values` (see read_field_specs). Nothing when it has
/// errors.
std::optional<connectors::json::Mapping> read_json_mapping(const YAML::Node& node,
                                                           const std::string& file,
                                                           Diagnostics& diagnostics);

/// A mapping whose entity is written out must name an entity of the registry: checked once the
/// entities are read.
void check_json_mapping_entities(const std::vector<connectors::json::Mapping>& mappings,
                                 const EntityRegistry& entities, Diagnostics& diagnostics);

}  // namespace passerelle::config
