// SPDX-License-Identifier: Apache-2.0
// `passerelle decode` as a user runs it: every golden vector of tests/data/mbus, tests/data/wmbus,
// tests/data/wmbusmeters and tests/data/lorawan through the binary gives its expected JSON (or its
// error and exit 1), plus the usage errors, stdin mode and keys.
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/cli_run.h"
#include "tests/support/golden_files.h"

using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)

namespace {

namespace fs = std::filesystem;

// The Kamstrup telegram of tests/data/wmbus/kamstrup-multical21-ctr.hex, in one line.
constexpr const char* kKamstrupCtr =
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";

fs::path vector_directory(const std::string& codec) {
    return fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / codec;
}

// The command line of a vector: its options become flags; a vector decoded after others (a
// compact frame after its full frame) goes through stdin, one telegram per line, the others as
// an argument.
CliRun decode_vector(const std::string& codec, const fs::path& path) {
    const std::string file = read_text_file(path);
    std::vector<std::string> args{"decode", "--codec", codec};
    for (const std::string& key : directive(file, "key")) {
        args.insert(args.end(), {"--key", key});
    }
    for (const std::string& option : directive(file, "options")) {
        args.push_back("--" + option);
    }
    CliInput input;
    for (const std::string& first : directive(file, "after")) {
        input.stdin_text += frame_hex(read_text_file(path.parent_path() / first)) + "\n";
    }
    if (input.stdin_text.empty()) {
        args.push_back(frame_hex(file));
    } else {
        input.stdin_text += frame_hex(file) + "\n";
        args.emplace_back("-");
    }
    return run_passerelle(args, input);
}

// The pack holds the records that have a value, in order, named after the meter's id.
void check_senml_pack(const nlohmann::json& decoded, const nlohmann::json& pack) {
    std::size_t next = 0;
    for (const auto& record : decoded["records"]) {
        if (!record.contains("v") && !record.contains("vs") && !record.contains("vb")) {
            continue;
        }
        REQUIRE(next < pack.size());
        nlohmann::json reading = pack[next];
        if (next == 0 && decoded["id"].is_string()) {
            CHECK(reading["bn"] == decoded["id"].get<std::string>() + ":");
        }
        reading.erase("bn");
        nlohmann::json expected = record;
        for (const char* raw : {"dif_vif", "note", "error", "more_records_follow"}) {
            expected.erase(raw);
        }
        CHECK(reading == expected);
        ++next;
    }
    CHECK(next == pack.size());
}

void check_vector(const std::string& codec, const fs::path& path) {
    INFO(path.filename().string());
    const CliRun run = decode_vector(codec, path);
    fs::path expected_path = path;
    expected_path.replace_extension(".expected.json");
    const auto expected = nlohmann::json::parse(read_text_file(expected_path));
    if (expected.contains("error")) {
        const auto& error = expected["error"];
        CHECK(run.status.exited);
        CHECK(run.status.code == 1);
        CHECK(run.err.find("error[" + error["code"].get<std::string>() +
                           "]: " + error["message"].get<std::string>()) != std::string::npos);
        return;
    }
    INFO(run.err);
    REQUIRE(run.status.success());
    const std::vector<std::string> lines = lines_of(run.out);
    REQUIRE_FALSE(lines.empty());
    nlohmann::json actual = nlohmann::json::parse(lines.back());
    REQUIRE(actual.contains("senml"));
    const nlohmann::json pack = actual["senml"];
    actual.erase("senml");
    std::string where;
    const bool equal = same_json(actual, expected, "$", where);
    INFO("first difference at " << where);
    CHECK(equal);
    check_senml_pack(actual, pack);
}

}  // namespace

TEST_CASE("decode gives every wired golden vector's JSON or error", "[cli][decode]") {
    const auto paths = files_with_extension(vector_directory("mbus"), ".hex");
    CHECK(paths.size() >= 20);
    for (const fs::path& path : paths) {
        check_vector("mbus", path);
    }
}

TEST_CASE("decode gives every wireless golden vector's JSON or error", "[cli][decode]") {
    const auto paths = files_with_extension(vector_directory("wmbus"), ".hex");
    CHECK(paths.size() >= 20);
    for (const fs::path& path : paths) {
        check_vector("wmbus", path);
    }
}

// A wmbusmeters message's pack: its readings in order, named after the meter's id, at its time.
void check_wmbusmeters_pack(const nlohmann::json& decoded, const nlohmann::json& pack) {
    const auto& readings = decoded["readings"];
    REQUIRE(pack.size() == readings.size());
    for (std::size_t i = 0; i < pack.size(); ++i) {
        nlohmann::json expected = readings[i];
        expected.erase("field");
        nlohmann::json reading = pack[i];
        if (i == 0) {
            CHECK(reading["bn"] == decoded["id"].get<std::string>() + ":");
            CHECK(reading.contains("bt") == !decoded["timestamp"].is_null());
            reading.erase("bn");
            reading.erase("bt");
        }
        CHECK(reading == expected);
    }
}

TEST_CASE("decode gives every wmbusmeters golden vector's readings or error", "[cli][decode]") {
    std::size_t count = 0;
    for (const fs::path& path : files_with_extension(vector_directory("wmbusmeters"), ".json")) {
        if (path.stem().string().ends_with(".expected")) {
            continue;
        }
        ++count;
        INFO(path.filename().string());
        const CliRun run =
            run_passerelle({"decode", "--codec", "wmbusmeters", read_text_file(path)});
        fs::path expected_path = path;
        expected_path.replace_extension(".expected.json");
        const auto expected = nlohmann::json::parse(read_text_file(expected_path));
        if (expected.contains("error")) {
            const auto& error = expected["error"];
            CHECK(run.status.exited);
            CHECK(run.status.code == 1);
            CHECK(run.err.find("error[" + error["code"].get<std::string>() +
                               "]: " + error["message"].get<std::string>()) != std::string::npos);
            continue;
        }
        INFO(run.err);
        REQUIRE(run.status.success());
        nlohmann::json actual = nlohmann::json::parse(run.out);
        const nlohmann::json pack = actual["senml"];
        actual.erase("senml");
        std::string where;
        const bool equal = same_json(actual, expected, "$", where);
        INFO("first difference at " << where);
        CHECK(equal);
        check_wmbusmeters_pack(actual, pack);
    }
    CHECK(count >= 15);
}

TEST_CASE("decode --codec wmbusmeters - reads one message per line", "[cli][decode]") {
    CliInput input;
    input.stdin_text =
        "# wmbusmeters/MyTapWater\n"
        R"({"_":"telegram","meter":"iperl","id":"33225544","total_m3":123.529})"
        "\n\n"
        R"({"_":"telegram","meter":"iperl","total_m3":123.529})"
        "\n";
    const auto run = run_passerelle({"decode", "--codec", "wmbusmeters", "-"}, input);
    CHECK(run.status.exited);
    CHECK(run.status.code == 1);
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 1);
    CHECK(nlohmann::json::parse(lines[0])["senml"][0] ==
          nlohmann::json::parse(R"({"bn":"33225544:","n":"total","u":"m3","v":123.529})"));
    CHECK(run.err.find("line 4: error[wmbusmeters.missing-id]: no 'id' field") !=
          std::string::npos);
}

TEST_CASE("decode reads wmbusmeters' telegram=|...| form", "[cli][decode]") {
    std::string hex = frame_hex(read_text_file(vector_directory("wmbus") / "sensus-iperl.hex"));
    std::erase(hex, ' ');
    const auto plain = run_passerelle({"decode", "--codec", "wmbus", hex});
    const auto logged =
        run_passerelle({"decode", "--codec", "wmbus",
                        "telegram=|" + hex.substr(0, 22) + "_" + hex.substr(22) + "|+32"});
    INFO(logged.err);
    CHECK(logged.status.success());
    CHECK(nlohmann::json::parse(logged.out)["id"] == "33225544");
    CHECK(plain.out == logged.out);
}

TEST_CASE("decode - reads one telegram per line and answers one JSON per line", "[cli][decode]") {
    const std::string good =
        frame_hex(read_text_file(vector_directory("mbus") / "kamstrup-382.hex"));
    const std::string bad =
        frame_hex(read_text_file(vector_directory("mbus") / "bad-checksum.hex"));
    CliInput input;
    input.stdin_text = "# a comment\n" + good + "\n\n" + bad + "\n" + good + "\n";
    const auto run = run_passerelle({"decode", "--codec", "mbus", "-"}, input);
    CHECK(run.status.exited);
    CHECK(run.status.code == 1);  // one line was refused
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 2);
    CHECK(nlohmann::json::parse(lines[0])["id"] == "14839120");
    CHECK(lines[0] == lines[1]);
    CHECK(run.err.find("line 4: error[mbus.bad-checksum]: bad checksum at byte 35") !=
          std::string::npos);
}

TEST_CASE("decode with a wrong key says so and never prints the key", "[cli][decode]") {
    const std::string wrong_key = "0123456789ABCDEF0123456789ABCDEF";
    const auto by_option =
        run_passerelle({"decode", "--codec", "wmbus", "--key", wrong_key, kKamstrupCtr});
    CHECK(by_option.status.code == 1);
    CHECK(by_option.err.find("wrong or missing key for meter 76348799") != std::string::npos);
    CliInput input;
    input.environment = {{"METER_KEY", wrong_key}};
    const auto by_environment = run_passerelle(
        {"decode", "--codec", "wmbus", "--key-env", "METER_KEY", kKamstrupCtr}, input);
    CHECK(by_environment.status.code == 1);
    CHECK(by_environment.err == by_option.err);
    const auto malformed =
        run_passerelle({"decode", "--codec", "wmbus", "--key", wrong_key + "0", kKamstrupCtr});
    CHECK(malformed.status.code == 2);
    CHECK(malformed.err.find("--key: a key has") != std::string::npos);
    for (const auto* run : {&by_option, &by_environment, &malformed}) {
        CHECK(run->out.find(wrong_key) == std::string::npos);
        CHECK(run->err.find(wrong_key) == std::string::npos);
    }
}

TEST_CASE("decode refuses bad usage with exit code 2", "[cli][decode]") {
    const std::string hex = kKamstrupCtr;
    const std::vector<std::vector<std::string>> usages{
        {"decode", hex},                                   // no --codec
        {"decode", "--codec", "zigbee", hex},              // unknown codec
        {"decode", "--codec", "wmbus"},                    // no telegram
        {"decode", "--codec", "mbus", "--format-b", hex},  // wireless-only option
        {"decode", "--codec", "wmbusmeters", "--key", hex.substr(0, 32), R"({"id":"1"})"},
        {"decode", "--codec", "wmbusmeters"},  // no message
        {"decode", "--codec", "wmbus", "--key-env", "PASSERELLE_UNSET_KEY", hex},
        {"decode", "--codec", "wmbus", "--key", "00", "--key-env", "K", hex},
    };
    for (const auto& args : usages) {
        const auto run = run_passerelle(args);
        INFO(args.back() << ": " << run.err);
        CHECK(run.status.exited);
        CHECK(run.status.code == 2);
        CHECK_FALSE(run.err.empty());
    }
}

TEST_CASE("decode --codec list names the codecs, one per line", "[cli][decode]") {
    const auto run = run_passerelle({"decode", "--codec", "list"});
    CHECK(run.status.success());
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 9);
    CHECK(lines[0].rfind("mbus ", 0) == 0);
    CHECK(lines[1].rfind("wmbus ", 0) == 0);
    CHECK(lines[2].rfind("wmbusmeters ", 0) == 0);
    CHECK(lines[3].rfind("chirpstack ", 0) == 0);
    CHECK(lines[4].rfind("ttn ", 0) == 0);
    CHECK(lines[5].rfind("lpp ", 0) == 0);
    CHECK(lines[6].rfind("elsys ", 0) == 0);
    CHECK(lines[7].rfind("milesight ", 0) == 0);
    CHECK(lines[8].rfind("dragino-lht65 LoRaWAN payload: ", 0) == 0);
}

// The LoRaWAN codec of a vector: its file name starts with the codec's name and '-'.
std::string lorawan_codec_of(const fs::path& path) {
    const std::string file = path.filename().string();
    for (const char* codec : {"dragino-lht65", "lpp", "elsys", "milesight"}) {
        if (file.rfind(std::string(codec) + "-", 0) == 0) {
            return codec;
        }
    }
    return "";
}

TEST_CASE("decode gives every lorawan golden vector's readings or error", "[cli][decode]") {
    std::size_t count = 0;
    for (const fs::path& path : files_with_extension(vector_directory("lorawan"), ".hex")) {
        ++count;
        INFO(path.filename().string());
        const std::string file = read_text_file(path);
        const std::string codec = lorawan_codec_of(path);
        REQUIRE_FALSE(codec.empty());
        std::vector<std::string> args{"decode", "--codec", codec};
        for (const std::string& port : directive(file, "fport")) {
            args.insert(args.end(), {"--fport", port});
        }
        args.push_back(frame_hex(file));
        const CliRun run = run_passerelle(args);
        fs::path expected_path = path;
        expected_path.replace_extension(".expected.json");
        const auto expected = nlohmann::json::parse(read_text_file(expected_path));
        if (expected.contains("error")) {
            const auto& error = expected["error"];
            CHECK(run.status.exited);
            CHECK(run.status.code == 1);
            CHECK(run.err.find("error[" + error["code"].get<std::string>() +
                               "]: " + error["message"].get<std::string>()) != std::string::npos);
            continue;
        }
        INFO(run.err);
        REQUIRE(run.status.success());
        std::string where;
        const bool equal = same_json(nlohmann::json::parse(run.out), expected, "$", where);
        INFO("first difference at " << where);
        CHECK(equal);
    }
    CHECK(count >= 20);
}

TEST_CASE("decode --codec milesight - reads one lorawan payload per line", "[cli][decode]") {
    CliInput input;
    input.stdin_text = "# EM320-TH\n01 75 5C 03 67 34 01 04 68 65\n\n01755C036734\n";
    const auto run = run_passerelle({"decode", "--codec", "milesight", "-"}, input);
    CHECK(run.status.exited);
    CHECK(run.status.code == 1);
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 1);
    CHECK(nlohmann::json::parse(lines[0])["readings"][1] ==
          nlohmann::json::parse(R"({"n":"temperature","u":"Cel","v":30.8})"));
    CHECK(run.err.find("line 4: error[milesight.truncated]: truncated record at byte 3") !=
          std::string::npos);
}

TEST_CASE("decode refuses bad lorawan usage with exit code 2, bad hex with exit code 1",
          "[cli][decode]") {
    const std::vector<std::vector<std::string>> usages{
        {"decode", "--codec", "lpp"},                                  // no payload
        {"decode", "--codec", "mbus", "--fport", "2", "68"},           // --fport on a meter codec
        {"decode", "--codec", "elsys", "--key", kKamstrupCtr, "01"},   // keys are for wmbus
        {"decode", "--codec", "dragino-lht65", "--fport", "0", "00"},  // out of range
    };
    for (const auto& args : usages) {
        const auto run = run_passerelle(args);
        INFO(args.back() << ": " << run.err);
        CHECK(run.status.exited);
        CHECK(run.status.code == 2);
        CHECK_FALSE(run.err.empty());
    }
    const auto bad_hex = run_passerelle({"decode", "--codec", "lpp", "03 6G"});
    CHECK(bad_hex.status.code == 1);
    CHECK(bad_hex.err.find("error[lorawan.bad-hex]: 'G' at character 5 is not a hex digit") !=
          std::string::npos);
}

TEST_CASE("decode --codec chirpstack|ttn reads an uplink file, its payload with --payload-codec",
          "[cli][decode]") {
    const std::string data = PASSERELLE_SOURCE_DIR "/tests/data/lorawan-envelopes/";
    const auto up =
        run_passerelle({"decode", "--codec", "chirpstack", data + "chirpstack-events-up.json"});
    INFO(up.err);
    REQUIRE(up.status.success());
    const auto decoded = nlohmann::json::parse(up.out);
    CHECK(decoded["codec"] == "chirpstack");
    CHECK(decoded["uplink"]["dev_eui"] == "0101010101010101");
    CHECK(decoded["readings"][0] == nlohmann::json::parse(R"({"n":"rssi","u":"dBm","v":-36.0})"));

    // An Elsys uplink given as text: the payload's readings, then the radio's.
    const auto elsys = run_passerelle(
        {"decode", "--codec", "chirpstack", "--payload-codec", "elsys",
         R"({"deviceInfo":{"devEui":"a84041000181c061"},"fCnt":3,"fPort":5,"data":"AQEmAik="})"});
    INFO(elsys.err);
    REQUIRE(elsys.status.success());
    const auto readings = nlohmann::json::parse(elsys.out)["readings"];
    CHECK(readings[0] == nlohmann::json::parse(R"({"n":"temperature","u":"Cel","v":29.4})"));
    CHECK(readings[1] == nlohmann::json::parse(R"({"n":"humidity","u":"%RH","v":41.0})"));

    const auto join =
        run_passerelle({"decode", "--codec", "ttn", data + "tts-bad-join-accept.json"});
    CHECK(join.status.code == 1);
    CHECK(join.err.find("error[lorawan.not-uplink]") != std::string::npos);
    const auto missing = run_passerelle({"decode", "--codec", "ttn", data + "no-such-file.json"});
    CHECK(missing.status.code == 2);
    CHECK(missing.err.find("cannot read '") != std::string::npos);
    const auto misplaced =
        run_passerelle({"decode", "--codec", "lpp", "--payload-codec", "elsys", "01"});
    CHECK(misplaced.status.code == 2);
    CHECK(misplaced.err.find("--payload-codec is for --codec chirpstack and --codec ttn") !=
          std::string::npos);
}
