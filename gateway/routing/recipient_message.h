// SPDX-License-Identifier: Apache-2.0
// What recipients write back to the gateway under notify/<recipient>/: the topic that names them
// and the JSON fields of their messages (acknowledgements, silences).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace passerelle::routing {

/// The recipient of notify/<recipient>/<level>, one non-empty topic level; none otherwise.
std::optional<std::string> recipient_of(std::string_view topic, std::string_view level);

/// 16 lowercase hexadecimal digits: the id of an alert, a group or a silence.
bool is_hex_id(std::string_view id);

/// A text field of a JSON object; empty when absent or not text.
std::string text_field(const nlohmann::json& body, const char* key);

}  // namespace passerelle::routing
