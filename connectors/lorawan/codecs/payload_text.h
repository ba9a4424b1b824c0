// SPDX-License-Identifier: Apache-2.0
// A payload as people paste it from a network server's console: hex, spaces allowed.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Bytes from hex digits, white space between bytes allowed ("01 00 E2 02 29", "0100e20229").
/// Errors (lorawan.bad-hex): "'g' at character 3 is not a hex digit", "odd number of hex digits
/// (7): the last byte is incomplete".
Result<std::vector<std::uint8_t>> parse_payload_hex(std::string_view text);

}  // namespace passerelle::connectors::lorawan
