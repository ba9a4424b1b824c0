// SPDX-License-Identifier: Apache-2.0
// Golden vectors: each tests/data/mbus/<name>.hex (a frame, '#' lines naming its source) decodes to
// <name>.expected.json, or to {"error": {"code", "message"}} for a rejected frame.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/mbus/mbus_decoder.h"

namespace passerelle::connectors::mbus {
namespace {

namespace fs = std::filesystem;

fs::path vector_directory() {
    return fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "mbus";
}

std::string read_file(const fs::path& path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

std::string frame_hex(const std::string& file) {
    std::istringstream lines(file);
    std::string line;
    std::string hex;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != '#') {
            hex += line;
            hex += ' ';
        }
    }
    return hex;
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

// Equal, numbers within a relative 1e-12 (conversions such as /3600 may round differently).
bool same(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
          std::string& where) {
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>();
        const double y = b.get<double>();
        if (std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y))) {
            return true;
        }
        where = path + ": " + a.dump() + " != " + b.dump();
        return false;
    }
    if (a.type() != b.type()) {
        where = path + ": " + a.dump() + " != " + b.dump();
        return false;
    }
    if (a.is_object()) {
        for (const auto& [key, value] : a.items()) {
            if (!b.contains(key)) {
                where = path;
                where += "." + key + ": missing on one side";
                return false;
            }
            std::string child = path;
            child += "." + key;
            if (!same(value, b.at(key), child, where)) {
                return false;
            }
        }
        if (a.size() != b.size()) {
            where = path + ": extra keys " + b.dump();
            return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) {
            where = path + ": " + std::to_string(a.size()) + " elements, expected " +
                    std::to_string(b.size());
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!same(a[i], b[i], path + "[" + std::to_string(i) + "]", where)) {
                return false;
            }
        }
        return true;
    }
    if (a != b) {
        where = path + ": " + a.dump() + " != " + b.dump();
        return false;
    }
    return true;
}

std::vector<fs::path> vectors() {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(vector_directory())) {
        if (entry.path().extension() == ".hex") {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

TEST_CASE("golden vectors decode to their expected JSON") {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
    const bool regenerate = std::getenv("PASSERELLE_REGENERATE_GOLDEN") != nullptr;
    const std::vector<fs::path> paths = vectors();
    CHECK(paths.size() >= 8);
    for (const fs::path& path : paths) {
        const std::string file = read_file(path);
        INFO(path.filename().string());
        REQUIRE(file.rfind("# source:", 0) == 0);  // every vector says where it comes from
        const nlohmann::json actual = decode(frame_hex(file));
        fs::path expected_path = path;
        expected_path.replace_extension(".expected.json");
        if (regenerate) {
            std::ofstream(expected_path) << actual.dump(2) << '\n';
            continue;
        }
        REQUIRE(fs::exists(expected_path));
        const nlohmann::json expected = nlohmann::json::parse(read_file(expected_path));
        std::string where;
        const bool equal = same(actual, expected, "$", where);
        INFO("first difference at " << where);
        CHECK(equal);
    }
}

}  // namespace
}  // namespace passerelle::connectors::mbus
