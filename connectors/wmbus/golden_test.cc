// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/wmbus/<name>.hex (a telegram; '#' lines give its source and
// options) decodes to <name>.expected.json, or to {"error": {"code", "message"}}. Option lines:
//   # key: <32 hex digits>         a published test key (never a real meter's)
//   # options: accept-plaintext    the telegram was logged after decryption
//   # options: format-b            the receiver says frame format B
//   # after: <other>.hex           decode that vector first (a full frame before a compact one)
//   # wmbusmeters: total_m3=6.408 -> volume
//                                  wmbusmeters' value for the same telegram; the reading named
//                                  after the arrow must equal it, converted to SenML units
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/wmbus_decoder.h"
#include "tests/support/golden_files.h"

namespace passerelle::connectors::wmbus {
namespace {

namespace fs = std::filesystem;

fs::path vector_directory() {
    return fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "wmbus";
}

nlohmann::json error_json(const Error& error) {
    return {{"error", {{"code", error.code}, {"message", error.message}}}};
}

nlohmann::json decode_vector(const fs::path& path, CompactFormats& formats) {
    const std::string file = testing::read_text_file(path);
    for (const std::string& first : testing::directive(file, "after")) {
        decode_vector(path.parent_path() / first, formats);
    }
    DecodeOptions options;
    options.compact_formats = &formats;
    for (const std::string& key : testing::directive(file, "key")) {
        auto parsed = parse_aes_key(key);
        REQUIRE(parsed);
        options.key = *parsed;
    }
    for (const std::string& option : testing::directive(file, "options")) {
        options.accept_plaintext = options.accept_plaintext || option == "accept-plaintext";
        if (option == "format-b") {
            options.format = FrameFormat::FormatB;
        }
    }
    auto bytes = mbus::parse_hex(testing::frame_hex(file));
    if (!bytes) {
        return error_json(bytes.error());
    }
    auto telegram = decode_wireless_telegram(*bytes, options);
    return telegram ? to_json(*telegram) : error_json(telegram.error());
}

// wmbusmeters field suffix -> SenML unit and the factor from its unit to that one.
std::pair<std::string, double> senml_unit(const std::string& field) {
    const std::vector<std::tuple<std::string, std::string, double>> suffixes{
        {"_m3h", "m3/s", 1.0 / 3600}, {"_m3", "m3", 1.0}, {"_kwh", "Wh", 1000.0},
        {"_kw", "W", 1000.0},         {"_c", "Cel", 1.0}, {"_h", "s", 3600.0}};
    for (const auto& [suffix, unit, factor] : suffixes) {
        if (field.size() > suffix.size() &&
            field.compare(field.size() - suffix.size(), suffix.size(), suffix) == 0) {
            return {unit, factor};
        }
    }
    FAIL("no SenML unit known for wmbusmeters field " << field);
    return {};
}

// "# wmbusmeters: total_m3=6.408 -> volume": our reading `volume` is 6.408 m3.
void check_against_wmbusmeters(const std::string& line, const nlohmann::json& decoded) {
    INFO(line);
    const auto equals = line.find('=');
    const auto arrow = line.find(" -> ");
    REQUIRE(equals != std::string::npos);
    REQUIRE(arrow != std::string::npos);
    const std::string field = line.substr(0, equals);
    const double reference = std::stod(line.substr(equals + 1, arrow - equals - 1));
    const std::string name = line.substr(arrow + 4);
    const auto [unit, factor] = senml_unit(field);
    REQUIRE(decoded.contains("records"));
    bool found = false;
    for (const auto& record : decoded["records"]) {
        if (record["n"] == name) {
            found = true;
            CHECK(record.value("u", "") == unit);
            CHECK(record["v"].get<double>() == Approx(reference * factor).epsilon(1e-9));
        }
    }
    CHECK(found);
}

TEST_CASE("golden vectors decode to their expected JSON and to wmbusmeters' values") {
    const std::vector<fs::path> paths = testing::files_with_extension(vector_directory(), ".hex");
    CHECK(paths.size() >= 20);
    for (const fs::path& path : paths) {
        const std::string file = testing::read_text_file(path);
        INFO(path.filename().string());
        REQUIRE(file.rfind("# source:", 0) == 0);  // every vector says where it comes from
        CompactFormats formats;
        const nlohmann::json actual = decode_vector(path, formats);
        for (const std::string& line : testing::directive(file, "wmbusmeters")) {
            check_against_wmbusmeters(line, actual);
        }
        testing::check_expected_json(path, actual);
    }
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
