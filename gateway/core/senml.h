// SPDX-License-Identifier: Apache-2.0
// SenML JSON (RFC 8428) packs, and the canonical readings carried by them on telemetry/signal topics.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"

namespace passerelle {

/// One record with its base fields already applied (RFC 8428 §4.6 "resolved" form).
struct SenmlRecord {
    std::string name;
    std::string unit;
    Value value;
    Timestamp time;
};

struct SenmlLimits {
    std::size_t max_payload_bytes = 64 * 1024;
    std::size_t max_records = 1000;
    int max_depth = 8;  // a pack is two levels deep; deeper nesting is hostile or a mistake
};

/// Decodes a SenML JSON pack. Times below 2^28 are relative to `now` (RFC 8428 §4.5.3).
/// Errors name the record and the field: "record 2: 'v' must be a number".
Result<std::vector<SenmlRecord>> decode_senml(std::string_view payload, Timestamp now,
                                              const SenmlLimits& limits = {});

/// Readings from a payload published on a canonical topic. A record's name must be empty or the topic's
/// quantity; the unit must be in the SenML registry.
Result<std::vector<Reading>> decode_canonical(std::string_view topic, std::string_view payload,
                                              Timestamp now, const SenmlLimits& limits = {});

/// The canonical topic of a reading: telemetry/<provider>/<entity>/<quantity>, or signal/<provider>/<name>
/// when `entity == quantity` and `is_signal`.
std::string canonical_topic(const Reading& reading, bool is_signal = false);
/// A one-record SenML pack: [{"n":quantity,"u":unit,"v":value,"t":seconds}].
std::string encode_senml(const Reading& reading);

/// Sets SenML's field for the kind of `value` in `record`: "v" for a number, "vs" for text, "vb"
/// for a boolean.
void put_senml_value(nlohmann::json& record, const Value& value);

/// One line of a recording (`simulate --record`): {"topic":…,"n":…,"u":…,"v"|"vs"|"vb":…,"t":…}.
std::string encode_recorded_reading(std::string_view topic, const Reading& reading);
/// Reads such a line back; the topic must be canonical.
Result<std::pair<std::string, Reading>> decode_recorded_reading(std::string_view line);

}  // namespace passerelle
