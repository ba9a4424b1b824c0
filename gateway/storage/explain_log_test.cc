// SPDX-License-Identifier: Apache-2.0
#include "gateway/storage/explain_log.h"

#include <fstream>

#include <catch2/catch.hpp>

using namespace passerelle;           // NOLINT(google-build-using-namespace)
using namespace passerelle::storage;  // NOLINT(google-build-using-namespace)
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "explain-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code error;
        fs::remove_all(path_, error);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

Timestamp day(int d, int hour = 12) {
    // 2026-07-<d>
    return *timestamp_from_epoch_seconds(1782864000.0 + (d - 1) * 86400.0 + hour * 3600.0);
}

nlohmann::json record(const std::string& id, const std::string& status) {
    return {{"id", id}, {"status", status}};
}

}  // namespace

TEST_CASE("explain log: records are found by alert id, oldest first, across days", "[explain]") {
    TempDir dir;
    ExplainLog log(dir.path() / "explain", std::chrono::hours(24 * 7));
    REQUIRE(log.append(record("aaaa000000000001", "firing"), day(1)));
    REQUIRE(log.append(record("bbbb000000000002", "firing"), day(1)));
    REQUIRE(log.append(record("aaaa000000000001", "resolved"), day(2)));
    CHECK(fs::exists(dir.path() / "explain" / "2026-07-01.jsonl"));
    CHECK(fs::exists(dir.path() / "explain" / "2026-07-02.jsonl"));
    std::size_t unreadable = 0;
    const auto found = find_explanations(dir.path() / "explain", "aaaa000000000001", unreadable);
    REQUIRE(found);
    REQUIRE(found->size() == 2);
    CHECK((*found)[0]["status"] == "firing");
    CHECK((*found)[1]["status"] == "resolved");
    CHECK(unreadable == 0);
}

TEST_CASE("explain log: a cut line is skipped and counted", "[explain]") {
    TempDir dir;
    {
        ExplainLog log(dir.path(), std::chrono::hours(24));
        REQUIRE(log.append(record("aaaa000000000001", "firing"), day(3)));
    }
    std::ofstream(dir.path() / "2026-07-03.jsonl", std::ios::app)
        << "{\"id\":\"aaaa000000000001\",\"st";
    std::size_t unreadable = 0;
    const auto found = find_explanations(dir.path(), "aaaa000000000001", unreadable);
    REQUIRE(found);
    CHECK(found->size() == 1);
    CHECK(unreadable == 1);
}

TEST_CASE("explain log: day files older than the retention are removed", "[explain]") {
    TempDir dir;
    ExplainLog log(dir.path(), std::chrono::hours(48));
    for (int d = 1; d <= 5; ++d) {
        REQUIRE(log.append(record("aaaa000000000001", "firing"), day(d)));
    }
    // Each new day prunes: on the 5th at noon, 48 hours back is the 3rd: the 1st and 2nd went.
    CHECK_FALSE(fs::exists(dir.path() / "2026-07-01.jsonl"));
    CHECK_FALSE(fs::exists(dir.path() / "2026-07-02.jsonl"));
    CHECK(fs::exists(dir.path() / "2026-07-03.jsonl"));
    CHECK(fs::exists(dir.path() / "2026-07-05.jsonl"));
    // Two days on with nothing written: the 3rd and 4th go, the open file stays.
    CHECK(log.prune(day(7)) == 2);
    CHECK(fs::exists(dir.path() / "2026-07-05.jsonl"));
}

TEST_CASE("explain log: a directory that cannot be made is a clear error", "[explain]") {
    TempDir dir;
    std::ofstream(dir.path() / "file") << "x";
    ExplainLog log(dir.path() / "file" / "explain", std::chrono::hours(24));
    const auto written = log.append(record("aaaa000000000001", "firing"), day(1));
    REQUIRE_FALSE(written);
    CHECK(written.error().code == "explain.io");
    CHECK_THAT(written.error().message, Catch::Contains("cannot create"));
    std::size_t unreadable = 0;
    CHECK_FALSE(find_explanations(dir.path() / "none", "x", unreadable));
}
