// SPDX-License-Identifier: Apache-2.0
// The scanner's path against the DOM reader's, over the golden envelopes and a few texts it must
// decline: same uplink when it answers, nothing for an envelope with an error.
#include "connectors/lorawan/envelopes/envelope_readers.h"

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/golden_files.h"

namespace passerelle::connectors::lorawan::detail {
namespace {

namespace fs = std::filesystem;

enum class Server { ChirpStack, Tts };
enum class Scanner { Answers, Declines };

// The DOM reader's verdict; the scanner answers with the same uplink, or declines as expected.
// It always declines when the DOM reader refuses.
void check_same(std::string_view text, Server server, Scanner expected) {
    const bool chirpstack = server == Server::ChirpStack;
    const std::optional<Uplink> scanned =
        chirpstack ? scan_chirpstack_uplink(text) : scan_tts_uplink(text);
    const Result<Uplink> read = chirpstack ? read_chirpstack_uplink(text) : read_tts_uplink(text);
    CHECK(scanned.has_value() == (expected == Scanner::Answers));
    if (!read) {
        CHECK_FALSE(scanned.has_value());
    } else if (scanned) {
        CHECK(to_json(*scanned) == to_json(*read));
    }
}

}  // namespace

TEST_CASE("the scanner reads each golden envelope as the DOM reader does", "[lorawan]") {
    const fs::path directory =
        fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "lorawan-envelopes";
    int scanned = 0;
    for (const fs::path& path : testing::files_with_extension(directory, ".json")) {
        const std::string name = path.filename().string();
        if (name.ends_with(".expected.json")) {
            continue;
        }
        INFO(name);
        const std::string text = testing::read_text_file(path);
        check_same(text, name.starts_with("chirpstack-") ? Server::ChirpStack : Server::Tts,
                   name.find("-bad-") == std::string::npos ? Scanner::Answers : Scanner::Declines);
        ++scanned;
    }
    CHECK(scanned >= 15);
}

TEST_CASE("the scanner declines what the DOM reader refuses or reads otherwise", "[lorawan]") {
    const std::string base =
        R"({"deviceInfo":{"devEui":"0102030405060708","tags":{"a":"1","a":null}},)"
        R"("data":"AQ==",)";
    // Read alike (a tag given twice: the last one counts).
    check_same(base + R"("fPort":1})", Server::ChirpStack, Scanner::Answers);
    // Accepted by the DOM reader (its last fPort counts), declined by the scanner.
    check_same(base + R"("fPort":300,"fPort":1})", Server::ChirpStack, Scanner::Declines);
    check_same("\xef\xbb\xbf" + base + R"("fPort":1})", Server::ChirpStack, Scanner::Declines);
    // nsTime is not judged when gwTime is given, nor channel_rssi when rssi is.
    check_same(base + R"("rxInfo":[{"gwTime":"2024-01-01T00:00:00Z","nsTime":5}]})",
               Server::ChirpStack, Scanner::Answers);
    check_same(R"({"end_device_ids":{"device_id":"d"},"uplink_message":{"rx_metadata":)"
               R"([{"rssi":-90,"channel_rssi":"x"}]}})",
               Server::Tts, Scanner::Answers);
    // Refused by both.
    for (const char* tail : {R"("fPort":-0})", R"("fPort":256})", R"("fCnt":1.5})",
                             R"("rxInfo":[null]})", R"("txInfo":{"frequency":"12a"}})",
                             R"("time":"yesterday"})", R"("fPort":1} x)", R"("x":1e999})"}) {
        INFO(tail);
        check_same(base + tail, Server::ChirpStack, Scanner::Declines);
    }
    check_same(R"({"end_device_ids":{"device_id":""},"uplink_message":{}})", Server::Tts,
               Scanner::Declines);
}

}  // namespace passerelle::connectors::lorawan::detail
