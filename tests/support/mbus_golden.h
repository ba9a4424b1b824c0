// SPDX-License-Identifier: Apache-2.0
// A wired M-Bus golden vector's frame (tests/data/mbus/<name>.hex), for the tests that serve or
// adapt real frames. Header-only: the test targets define PASSERELLE_SOURCE_DIR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "connectors/mbus/mbus_decoder.h"
#include "tests/support/golden_files.h"

namespace passerelle::testing {

inline std::vector<std::uint8_t> golden_mbus_frame(const std::string& name) {
    const auto path =
        std::filesystem::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "mbus" / (name + ".hex");
    auto bytes = connectors::mbus::parse_hex(frame_hex(read_text_file(path)));
    INFO(path.string());
    REQUIRE(bytes.has_value());
    return *bytes;
}

}  // namespace passerelle::testing
