// SPDX-License-Identifier: Apache-2.0
// The territory's sharing rules as configured: `agreements:` in passerelle.yaml, and the
// registry's `attributes:` declarations (who owns an attribute, whether it is personal data).
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"

namespace passerelle::config {

/// `agreements:` — a list of {id, from, to, data, entities, purpose, valid_from, valid_until}.
/// Needs the stakeholders and the registry loaded; dates are days in `zone`.
void read_agreements(const YAML::Node& node, const std::string& file, const TimeZone& zone,
                     Territory& territory, Diagnostics& diagnostics);

/// `attributes:` of an entities file — {name: {owner, personal, description}}.
void read_attribute_declarations(const YAML::Node& node, const std::string& file,
                                 Territory& territory, Diagnostics& diagnostics);

}  // namespace passerelle::config
