// SPDX-License-Identifier: Apache-2.0
// An entity's `lorawan:` block in the registry: its device EUI and how its payload is read.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/lorawan_device.h"

namespace passerelle::config {

/// Reads `lorawan: {dev_eui: a84041000181c061, codec: elsys}` of entity `entity` declared in
/// `file` and adds it to `devices`. `codecs` are the payload codecs' names; `codec:
/// network-server` instead takes the readings from the server's decoded object by `fields` (see
/// read_field_specs), which only it has. Errors name the file, line and column, with a suggestion
/// for a misspelt codec.
void read_lorawan_device(const YAML::Node& node, const std::string& file, const std::string& entity,
                         const std::vector<std::string>& codecs, LorawanDirectory& devices,
                         Diagnostics& diagnostics);

}  // namespace passerelle::config
