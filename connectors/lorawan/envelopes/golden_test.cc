// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/lorawan-envelopes/<server>-<name>.json (one envelope as the
// server publishes it; <server> is chirpstack or tts) parses to <name>.expected.json (to_json of
// the uplink), or to {"error": {"code", "message"}}. Provenance is in that folder's README.md.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/envelopes/envelope.h"
#include "tests/support/golden_files.h"

namespace passerelle::connectors::lorawan {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> input_vectors() {
    std::vector<fs::path> inputs;
    const fs::path directory =
        fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "lorawan-envelopes";
    for (const fs::path& path : testing::files_with_extension(directory, ".json")) {
        if (!path.stem().string().ends_with(".expected")) {
            inputs.push_back(path);
        }
    }
    return inputs;
}

}  // namespace

TEST_CASE("every LoRaWAN envelope golden vector gives its expected uplink or error",
          "[lorawan][golden]") {
    const std::vector<fs::path> inputs = input_vectors();
    CHECK(inputs.size() >= 15);
    for (const fs::path& path : inputs) {
        const std::string name = path.filename().string();
        INFO(name);
        const std::string text = testing::read_text_file(path);
        REQUIRE((name.starts_with("chirpstack-") || name.starts_with("tts-")));
        auto uplink = name.starts_with("chirpstack-") ? parse_chirpstack_uplink(text)
                                                      : parse_tts_uplink(text);
        const bool expect_error = name.find("-bad-") != std::string::npos;
        CHECK(uplink.has_value() != expect_error);
        const nlohmann::json actual =
            uplink ? to_json(*uplink)
                   : nlohmann::json{
                         {"error",
                          {{"code", uplink.error().code}, {"message", uplink.error().message}}}};
        testing::check_expected_json(path, actual);
    }
}

}  // namespace passerelle::connectors::lorawan
