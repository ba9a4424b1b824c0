// SPDX-License-Identifier: Apache-2.0
// An entity's `meter:` block in the registry: the meter's identity and where its key is kept.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/meter.h"

namespace passerelle::config {

/// Reads `meter: {id: "76348799", manufacturer: KAM, key_env: EAU_KEY_76348799}` of entity
/// `entity` declared in `file`, and adds it to `meters`. The key comes from one of `key` (32 hex
/// digits in the file, for demos), `key_env` (an environment variable) or `key_file` (a file
/// holding the hex digits, relative to `file`'s folder). Errors name the file, line and column,
/// and never quote a key.
void read_meter(const YAML::Node& node, const std::string& file, const std::string& entity,
                MeterDirectory& meters, Diagnostics& diagnostics);

}  // namespace passerelle::config
