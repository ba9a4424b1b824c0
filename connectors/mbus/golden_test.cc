// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/mbus/<name>.hex (a frame, '#' lines naming its source) decodes to
// <name>.expected.json, or to {"error": {"code", "message"}} for a rejected frame.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/mbus/mbus_decoder.h"
#include "tests/support/golden_files.h"

namespace passerelle::connectors::mbus {
namespace {

namespace fs = std::filesystem;

fs::path vector_directory() {
    return fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "mbus";
}

nlohmann::json decode(const std::string& hex) {
    auto bytes = parse_hex(hex);
    if (!bytes) {
        return {{"error", {{"code", bytes.error().code}, {"message", bytes.error().message}}}};
    }
    auto telegram = decode_wired_frame(*bytes);
    if (!telegram) {
        return {
            {"error", {{"code", telegram.error().code}, {"message", telegram.error().message}}}};
    }
    return to_json(*telegram);
}

TEST_CASE("golden vectors decode to their expected JSON") {
    const std::vector<fs::path> paths = testing::files_with_extension(vector_directory(), ".hex");
    CHECK(paths.size() >= 8);
    for (const fs::path& path : paths) {
        const std::string file = testing::read_text_file(path);
        INFO(path.filename().string());
        REQUIRE(file.rfind("# source:", 0) == 0);  // every vector says where it comes from
        const nlohmann::json actual = decode(testing::frame_hex(file));
        testing::check_expected_json(path, actual);
    }
}

}  // namespace
}  // namespace passerelle::connectors::mbus
