// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/lorawan/<codec>-<name>.hex (the payload's hex, '#' lines for
// its source and options such as "# fport: 2") decodes to <codec>-<name>.expected.json (the
// decode output), or to {"error": {"code", "message"}}. Provenance is in that folder's README.md.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/codecs/payload_text.h"
#include "tests/support/golden_files.h"

namespace passerelle::connectors::lorawan {
namespace {

namespace fs = std::filesystem;

// The codec a vector is for: the longest codec name its file name starts with, then '-'.
const PayloadCodec* codec_of(const fs::path& path) {
    const std::string file = path.filename().string();
    const PayloadCodec* found = nullptr;
    for (const PayloadCodec& codec : payload_codecs()) {
        const std::string prefix = std::string(codec.name) + "-";
        if (file.rfind(prefix, 0) == 0 &&
            (found == nullptr || codec.name.size() > found->name.size())) {
            found = &codec;
        }
    }
    return found;
}

nlohmann::json decode_vector(const fs::path& path, const PayloadCodec& codec) {
    const std::string file = passerelle::testing::read_text_file(path);
    std::optional<int> f_port;
    for (const std::string& port : passerelle::testing::directive(file, "fport")) {
        f_port = std::stoi(port);
    }
    auto bytes = parse_payload_hex(passerelle::testing::frame_hex(file));
    REQUIRE(bytes);
    auto decoded = decode_payload(codec, PayloadInput{*bytes, f_port});
    if (!decoded) {
        return nlohmann::json{
            {"error", {{"code", decoded.error().code}, {"message", decoded.error().message}}}};
    }
    return to_json(codec.name, *decoded);
}

}  // namespace

TEST_CASE("every lorawan golden vector gives its expected readings or error", "[lorawan][golden]") {
    const fs::path directory = fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "lorawan";
    std::map<std::string, int> per_codec;
    int errors = 0;
    for (const fs::path& path : passerelle::testing::files_with_extension(directory, ".hex")) {
        INFO(path.filename().string());
        const PayloadCodec* codec = codec_of(path);
        REQUIRE(codec != nullptr);
        const nlohmann::json actual = decode_vector(path, *codec);
        errors += actual.contains("error") ? 1 : 0;
        ++per_codec[std::string(codec->name)];
        passerelle::testing::check_expected_json(path, actual);
    }
    CHECK(per_codec.size() == payload_codecs().size());
    int total = 0;
    for (const auto& [codec, count] : per_codec) {
        INFO(codec);
        CHECK(count >= 4);
        total += count;
    }
    CHECK(total >= 20);
    CHECK(errors >= 4);
}

}  // namespace passerelle::connectors::lorawan
