// SPDX-License-Identifier: Apache-2.0
// Test helper: bytes from hex text, failing the test on bad hex.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "connectors/mbus/mbus_decoder.h"

namespace passerelle::connectors::wmbus {

inline std::vector<std::uint8_t> bytes_of(std::string_view hex) {
    auto bytes = mbus::parse_hex(hex);
    REQUIRE(bytes);
    return *bytes;
}

}  // namespace passerelle::connectors::wmbus
