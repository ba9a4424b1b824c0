// SPDX-License-Identifier: Apache-2.0
// A decoded payload as JSON: the `passerelle decode --codec lpp|elsys|...` output and its SenML
// pack.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "connectors/lorawan/codecs/payload.h"

namespace passerelle::connectors::lorawan {

/// The readings as a SenML pack (RFC 8428), in order: [{"n":"temperature","u":"Cel","v":22.6}];
/// `u` only when the reading has a unit. Channels are in the names already (payload.h).
nlohmann::json senml_pack(const DecodedPayload& payload);

/// {"codec":"elsys","readings":<senml_pack>,"notes":["..."]}
nlohmann::json to_json(std::string_view codec, const DecodedPayload& payload);

}  // namespace passerelle::connectors::lorawan
