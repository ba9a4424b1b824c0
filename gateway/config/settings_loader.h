// SPDX-License-Identifier: Apache-2.0
// Loads passerelle.yaml and the entity files it names, with file:line:column diagnostics.
#pragma once

#include <optional>
#include <string>

#include "gateway/config/settings.h"
#include "gateway/core/diagnostic.h"

namespace passerelle::config {

/// Reads the configuration file; relative paths inside it are relative to its folder.
/// Returns nothing when any error was reported.
std::optional<Settings> load_settings(const std::string& path, Diagnostics& diagnostics);

}  // namespace passerelle::config
