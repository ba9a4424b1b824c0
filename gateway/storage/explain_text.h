// SPDX-License-Identifier: Apache-2.0
// How `passerelle explain` and `replay --explain` print an explain log record for people.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace passerelle::storage {

/// A few aligned lines: the transition, why the rule was evaluated, the reading, the conditions
/// with their results, every input with its value ("unknown" when absent), and who was told.
/// Fields missing from the record (an older gateway wrote it) are left out, never invented.
std::string format_explanation(const nlohmann::json& record);

}  // namespace passerelle::storage
