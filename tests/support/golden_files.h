// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the golden-vector tests: reading a vector file and comparing JSON documents.
// Header-only so that decoder tests need not link the MQTT test support library.
#pragma once

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

namespace passerelle::testing {

inline std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

/// The lines of a vector file that are not comments ('#'), joined by spaces: the frame's hex.
inline std::string frame_hex(const std::string& file) {
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

/// The value of every "# <name>: value" line of a vector file, in order: its options.
inline std::vector<std::string> directive(const std::string& file, const std::string& name) {
    std::istringstream lines(file);
    std::string line;
    std::vector<std::string> values;
    const std::string prefix = "# " + name + ": ";
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) == 0) {
            values.push_back(line.substr(prefix.size()));
        }
    }
    return values;
}

/// The files of `directory` ending in `extension`, sorted by name.
inline std::vector<std::filesystem::path> files_with_extension(
    const std::filesystem::path& directory, const std::string& extension) {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.path().extension() == extension) {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

/// Equal, numbers within a relative 1e-12 (conversions such as /3600 may round differently).
/// On a difference, `where` names its JSON path and both values.
inline bool same_json(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
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
            if (!same_json(value, b.at(key), child, where)) {
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
            if (!same_json(a[i], b[i], path + "[" + std::to_string(i) + "]", where)) {
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

/// Compares `actual` with <vector>.expected.json next to the vector file, or rewrites that file
/// when PASSERELLE_REGENERATE_GOLDEN is set (the diff is then reviewed before committing).
inline void check_expected_json(const std::filesystem::path& vector_path,
                                const nlohmann::json& actual) {
    std::filesystem::path expected_path = vector_path;
    expected_path.replace_extension(".expected.json");
    // NOLINTNEXTLINE(concurrency-mt-unsafe): tests read the environment before any thread exists
    if (std::getenv("PASSERELLE_REGENERATE_GOLDEN") != nullptr) {
        std::ofstream(expected_path) << actual.dump(2) << '\n';
        return;
    }
    REQUIRE(std::filesystem::exists(expected_path));
    const nlohmann::json expected = nlohmann::json::parse(read_text_file(expected_path));
    std::string where;
    const bool equal = same_json(actual, expected, "$", where);
    INFO("first difference at " << where);
    CHECK(equal);
}

}  // namespace passerelle::testing
