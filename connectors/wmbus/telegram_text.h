// SPDX-License-Identifier: Apache-2.0
// One telegram as text, the way receivers and wmbusmeters print it, to its bytes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

/// Bytes from hex (white space allowed) or from wmbusmeters' log form
/// `telegram=|2A442D2C998734761B168D20_91D37CAC21|+32`: the `_` that separates the header from the
/// payload and the `+seconds` suffix are ignored. Character positions in errors count in `text`.
/// Errors: those of mbus::parse_hex, and wmbus.bad-text: "telegram=| has no closing |".
Result<std::vector<std::uint8_t>> parse_telegram_text(std::string_view text);

}  // namespace passerelle::connectors::wmbus
