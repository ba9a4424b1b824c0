// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/wmbusmeters/<name>.json (one message as wmbusmeters prints it)
// parses to <name>.expected.json (the decode output without its SenML pack), or to
// {"error": {"code", "message"}}. Provenance is in that folder's README.md.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/wmbusmeters/wmbusmeters_json.h"
#include "tests/support/golden_files.h"

namespace passerelle::connectors::wmbusmeters {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> input_vectors() {
    std::vector<fs::path> inputs;
    const fs::path directory = fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "wmbusmeters";
    for (const fs::path& path : testing::files_with_extension(directory, ".json")) {
        if (!path.stem().string().ends_with(".expected")) {
            inputs.push_back(path);
        }
    }
    return inputs;
}

}  // namespace

TEST_CASE("every wmbusmeters golden vector gives its expected readings or error",
          "[wmbusmeters][golden]") {
    const std::vector<fs::path> inputs = input_vectors();
    CHECK(inputs.size() >= 15);
    for (const fs::path& path : inputs) {
        INFO(path.filename().string());
        auto message = parse_wmbusmeters_json(testing::read_text_file(path));
        const nlohmann::json actual =
            message ? to_json(*message)
                    : nlohmann::json{
                          {"error",
                           {{"code", message.error().code}, {"message", message.error().message}}}};
        testing::check_expected_json(path, actual);
    }
}

TEST_CASE("golden readings carry wmbusmeters' values, converted only where SenML lacks the unit",
          "[wmbusmeters][golden]") {
    for (const fs::path& path : input_vectors()) {
        const auto input = nlohmann::json::parse(testing::read_text_file(path), nullptr, false);
        auto message = parse_wmbusmeters_json(testing::read_text_file(path));
        if (!message) {
            continue;
        }
        INFO(path.filename().string());
        for (const MeterReading& reading : message->readings) {
            INFO(reading.field);
            REQUIRE(input.contains(reading.field));
            const auto& original = input.at(reading.field);
            if (!original.is_number()) {
                continue;
            }
            const double number = std::get<double>(reading.value);
            if (reading.unit == "m3/s" || reading.unit == "l/s") {
                CHECK(number == Approx(original.get<double>() / 3600.0));
            } else if (reading.field.ends_with("_mj")) {
                CHECK(number == Approx(original.get<double>() / 3.6));
            } else {
                CHECK(number == original.get<double>());
            }
        }
    }
}

}  // namespace passerelle::connectors::wmbusmeters
