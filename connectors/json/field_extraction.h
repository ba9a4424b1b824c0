// SPDX-License-Identifier: Apache-2.0
// Reading one record of a JSON message by a declarative mapping: members by JSON pointer, names
// from the topic or the message, numbers scaled into SenML units. Shared by the JSON connector and
// LoRaWAN devices read through their network server's decoded object.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/core/field_mapping.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::json {

/// What one FieldSpec read from one record.
struct ExtractedValue {
    std::string quantity;
    Value value;  // a number (scaled) or a boolean
    std::string unit;
};

/// The member `pointer` names in `document`, or nullptr with `why` saying where the path ended
/// ("'/measures' has 2 elements", "'/a' is a string"). A null member counts as present.
const nlohmann::json* find_member(const nlohmann::json& document, const JsonPointer& pointer,
                                  std::string& why);

/// The name `source` gives for this message: the constant, topic level `source.segment` of
/// `topic_levels`, or the text member at `source.pointer` of `record`; `what` ("entity",
/// "quantity") names it in errors. A name becomes a topic level, so it must be an identifier
/// (letters, digits, '-', '_', '.'). Errors: json.missing-field, json.bad-field, json.bad-name.
Result<std::string> resolve_name(const TextSource& source, std::string_view what,
                                 const nlohmann::json& record,
                                 std::span<const std::string_view> topic_levels);

/// The value `spec` reads from `record`. A number, or a string holding a decimal number ("21.5",
/// as network servers' JavaScript decoders often give with toFixed), is scaled: number * scale +
/// offset; a boolean stays a boolean. Nothing when the member is absent or null and the spec is
/// optional. Errors, each naming the pointer: json.missing-field ("no '/t': '/' has no member
/// 't'"), json.bad-field (another type, a string that is not a number), json.bad-value (not a
/// finite number once scaled), json.unknown-unit (from unit_pointer, not a SenML unit), and those
/// of resolve_name for the quantity.
Result<std::optional<ExtractedValue>> extract_value(const FieldSpec& spec,
                                                    const nlohmann::json& record,
                                                    std::span<const std::string_view> topic_levels);

/// "a number", "a string", "an object"...: a JSON value's type in messages.
std::string_view json_kind(const nlohmann::json& value);

}  // namespace passerelle::connectors::json
