// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/rules_fingerprint.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

using passerelle::daemon::fingerprint_files;
namespace fs = std::filesystem;

TEST_CASE("a rules fingerprint changes with the bytes and the names, not with the times",
          "[fingerprint]") {
    char pattern[] = "/tmp/passerelle-fingerprint-test.XXXXXX";
    const fs::path dir = ::mkdtemp(pattern);
    const std::string a = (dir / "a.yaml").string();
    const std::string b = (dir / "b.yaml").string();
    std::ofstream(a) << "version: 1\nrules: []\n";
    std::ofstream(b) << "version: 1\n";
    const auto before = fingerprint_files({a, b});

    // Written again with the same bytes, a day later.
    std::ofstream(a, std::ios::trunc) << "version: 1\nrules: []\n";
    fs::last_write_time(a, fs::last_write_time(a) + std::chrono::hours(24));
    CHECK(fingerprint_files({a, b}) == before);

    CHECK(fingerprint_files({a}) != before);
    CHECK(fingerprint_files({b, a}) != before);
    std::ofstream(b, std::ios::app) << "rules: []\n";
    CHECK(fingerprint_files({a, b}) != before);
    // A file gone differs from an empty one.
    const auto empty = fingerprint_files({a, b, (dir / "c.yaml").string()});
    std::ofstream(dir / "c.yaml").flush();
    CHECK(fingerprint_files({a, b, (dir / "c.yaml").string()}) != empty);
    fs::remove_all(dir);
}
