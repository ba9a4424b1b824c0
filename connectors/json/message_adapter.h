// SPDX-License-Identifier: Apache-2.0
// A JSON message on a mapped topic to the readings of the registry's entities it names.
#pragma once

#include <string_view>
#include <vector>

#include "connectors/json/mapping.h"
#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::json {

/// What a message gave: one report per entity its records name (in the order first named), and
/// one error per record or value that could not be read. A bad record does not cost the others
/// their readings.
struct MappedMessage {
    std::vector<DeviceReport> reports;
    std::vector<Error> errors;
};

/// Reads `payload`, received on `topic` at `received`, with `mapping`. Each record (each element
/// of the `records` array, or the whole message) names its entity and may give its time; each
/// value of `mapping.values` becomes a reading of that entity, published by its owner.
///
/// Errors, each message starting "topic '<topic>'" and, with `records`, "record <index>":
/// - the whole message: json.bad-json (not JSON, nested deeper than 32 levels), json.not-object,
///   json.missing-field / json.bad-field for the records' array;
/// - a record: json.not-object, json.bad-time, the entity's name (see resolve_name), and
///   device.unknown: "unknown entity 'x' (topic 'a/x/t'): declare it in the entity registry"
///   (without record index, so that the gateway reports each unknown entity once an hour);
/// - a value: those of extract_value; the record's other values are kept.
MappedMessage adapt_message(const Mapping& mapping, const Territory& territory,
                            std::string_view topic, std::string_view payload, Timestamp received);

}  // namespace passerelle::connectors::json
