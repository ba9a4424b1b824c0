// SPDX-License-Identifier: Apache-2.0
// `passerelle decode --codec mbus|wmbus HEX` and `--codec wmbusmeters JSON`: one meter telegram (or
// one wmbusmeters message) to its identity and readings, as the connectors decode it;
// `--codec lpp|elsys|milesight|dragino-lht65 [--fport N] HEX`: one LoRaWAN payload to its readings.
// `-` decodes one per line of stdin.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/codecs/payload_text.h"
#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/telegram_text.h"
#include "connectors/wmbus/wmbus_decoder.h"
#include "connectors/wmbusmeters/wmbusmeters_json.h"
#include "gateway/cli/commands.h"

namespace passerelle::cli {
namespace {

namespace mbus = connectors::mbus;
namespace wmbus = connectors::wmbus;
namespace wmbusmeters = connectors::wmbusmeters;
namespace lorawan = connectors::lorawan;

struct Codec {
    const char* name;
    const char* description;
};

constexpr Codec kCodecs[] = {
    {"mbus", "wired M-Bus (EN 13757-2/-3): long frames 68 L L 68 ... CS 16, CI 0x72/0x7A/0x78"},
    {"wmbus",
     "wireless M-Bus / OMS (EN 13757-4): format A/B or CRC-stripped, mode 5 AES-CBC, ELL "
     "AES-CTR, compact frames"},
    {"wmbusmeters",
     "wmbusmeters' JSON output, one object per telegram: identity and readings in SenML units"},
};

struct DecodeCommandOptions {
    std::string codec;
    std::string key_hex;
    std::string key_env;
    bool format_b = false;
    bool accept_plaintext = false;
    std::optional<int> f_port;          // LoRaWAN codecs only
    std::vector<std::string> telegram;  // hex (in one or more words), telegram=|...|, JSON, or "-"
};

// The decoder's JSON and the readings as a SenML pack, whose names are "<id>:volume": an entity
// is found by its meter's id.
nlohmann::json with_senml_pack(nlohmann::json decoded, std::span<const mbus::DataRecord> records,
                               const std::string& meter_id) {
    decoded["senml"] = mbus::senml_pack(records, meter_id.empty() ? "" : meter_id + ":");
    return decoded;
}

Result<nlohmann::json> decode_bytes(const std::string& codec, std::span<const std::uint8_t> bytes,
                                    const wmbus::DecodeOptions& options) {
    if (codec == "mbus") {
        auto telegram = mbus::decode_wired_frame(bytes);
        if (!telegram) {
            return telegram.error();
        }
        return with_senml_pack(mbus::to_json(*telegram), telegram->records, telegram->header.id);
    }
    auto telegram = wmbus::decode_wireless_telegram(bytes, options);
    if (!telegram) {
        return telegram.error();
    }
    return with_senml_pack(wmbus::to_json(*telegram), telegram->records, telegram->id());
}

// A wmbusmeters message: its identity and readings, the pack named after the meter's id.
Result<nlohmann::json> decode_wmbusmeters(std::string_view text) {
    auto message = wmbusmeters::parse_wmbusmeters_json(text);
    if (!message) {
        return message.error();
    }
    nlohmann::json decoded = wmbusmeters::to_json(*message);
    decoded["senml"] = wmbusmeters::senml_pack(*message, message->identity.id + ":");
    return decoded;
}

// A LoRaWAN payload: {"codec":..., "readings": SenML pack, "notes": [...]}.
Result<nlohmann::json> decode_lorawan(const lorawan::PayloadCodec& codec, std::optional<int> f_port,
                                      std::string_view text) {
    auto bytes = lorawan::parse_payload_hex(text);
    if (!bytes) {
        return bytes.error();
    }
    auto payload = lorawan::decode_payload(codec, lorawan::PayloadInput{*bytes, f_port});
    if (!payload) {
        return payload.error();
    }
    return lorawan::to_json(codec.name, *payload);
}

Result<nlohmann::json> decode_text(const DecodeCommandOptions& command,
                                   const wmbus::DecodeOptions& options, std::string_view text) {
    if (command.codec == "wmbusmeters") {
        return decode_wmbusmeters(text);
    }
    if (const auto* codec = lorawan::find_codec(command.codec)) {
        return decode_lorawan(*codec, command.f_port, text);
    }
    auto bytes = wmbus::parse_telegram_text(text);
    if (!bytes) {
        return bytes.error();
    }
    return decode_bytes(command.codec, *bytes, options);
}

// Prints the telegram's JSON on one line, or its error on stderr; true when it decoded.
bool decode_and_print(const DecodeCommandOptions& command, const wmbus::DecodeOptions& options,
                      std::string_view text, const std::string& where) {
    auto decoded = decode_text(command, options, text);
    if (!decoded) {
        std::fprintf(stderr, "decode: %serror[%s]: %s\n", where.c_str(),
                     decoded.error().code.c_str(), decoded.error().message.c_str());
        return false;
    }
    std::puts(decoded->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return true;
}

// Blank lines and '#' comments are not telegrams (nor wmbusmeters messages).
bool is_telegram_line(const std::string& line) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    return first != std::string::npos && line[first] != '#';
}

int decode_stdin(const DecodeCommandOptions& command, const wmbus::DecodeOptions& options) {
    std::string line;
    std::size_t number = 0;
    bool all_decoded = true;
    while (std::getline(std::cin, line)) {
        ++number;
        if (is_telegram_line(line)) {
            all_decoded &=
                decode_and_print(command, options, line, fmt::format("line {}: ", number));
            std::fflush(stdout);  // a line out per line in, also through a pipe
        }
    }
    return all_decoded ? kExitOk : kExitProblems;
}

// "68 1F 1F 68 ..." unquoted arrives as several words: they are one telegram.
std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) {
        text += text.empty() ? "" : " ";
        text += word;
    }
    return text;
}

// The key from --key or --key-env. Messages name the option, never the key's text.
Result<std::optional<wmbus::AesKey>> read_key(const DecodeCommandOptions& command) {
    std::string_view hex = command.key_hex;
    std::string option = "--key";
    if (!command.key_env.empty()) {
        // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
        const char* value = std::getenv(command.key_env.c_str());
        if (value == nullptr) {
            return make_error("decode.no-key-env",
                              fmt::format("--key-env: {} is not set", command.key_env));
        }
        hex = value;
        option = "--key-env " + command.key_env;
    }
    if (hex.empty()) {
        return std::optional<wmbus::AesKey>();
    }
    auto key = wmbus::parse_aes_key(hex);
    if (!key) {
        return make_error(key.error().code, option + ": " + key.error().message);
    }
    return std::optional<wmbus::AesKey>(*key);
}

// The usage problem of an option combination, or nothing.
std::optional<std::string> usage_problem(const DecodeCommandOptions& command) {
    const bool keyed = !command.key_hex.empty() || !command.key_env.empty();
    const bool lorawan_codec = lorawan::find_codec(command.codec) != nullptr;
    if (command.f_port && !lorawan_codec) {
        return "--fport is for the LoRaWAN payload codecs (see --codec list)";
    }
    if (lorawan_codec && (keyed || command.format_b || command.accept_plaintext)) {
        return "--key, --key-env, --format-b and --accept-plaintext are for --codec wmbus "
               "(LoRaWAN payloads arrive decrypted from the network server)";
    }
    if (command.codec == "mbus" && (keyed || command.format_b || command.accept_plaintext)) {
        return "--key, --key-env, --format-b and --accept-plaintext are for --codec wmbus "
               "(encrypted wired telegrams are not supported)";
    }
    if (command.codec == "wmbusmeters" && (keyed || command.format_b || command.accept_plaintext)) {
        return "--key, --key-env, --format-b and --accept-plaintext are for --codec wmbus "
               "(wmbusmeters has already decrypted and decoded its messages)";
    }
    if (command.telegram.empty()) {
        if (lorawan_codec) {
            return "a payload is needed: HEX, or - for one per line of stdin";
        }
        return command.codec == "wmbusmeters"
                   ? "a message is needed: one wmbusmeters JSON object, or - for one per line of "
                     "stdin"
                   : "a telegram is needed: HEX, telegram=|HEX|, or - for one per line of stdin";
    }
    return std::nullopt;
}

int decode(const DecodeCommandOptions& command) {
    if (command.codec == "list") {
        for (const Codec& codec : kCodecs) {
            std::printf("%-13s %s\n", codec.name, codec.description);
        }
        for (const lorawan::PayloadCodec& codec : lorawan::payload_codecs()) {
            std::printf("%-13.*s LoRaWAN payload: %.*s\n", static_cast<int>(codec.name.size()),
                        codec.name.data(), static_cast<int>(codec.description.size()),
                        codec.description.data());
        }
        return kExitOk;
    }
    if (const auto problem = usage_problem(command)) {
        std::fprintf(stderr, "decode: %s\n", problem->c_str());
        return kExitUsage;
    }
    auto key = read_key(command);
    if (!key) {
        std::fprintf(stderr, "decode: %s\n", key.error().message.c_str());
        return kExitUsage;
    }
    wmbus::CompactFormats compact_formats;  // learnt from full frames, for later compact ones
    wmbus::DecodeOptions options;
    options.key = *key;
    options.format = command.format_b ? wmbus::FrameFormat::FormatB : wmbus::FrameFormat::Detect;
    options.accept_plaintext = command.accept_plaintext;
    options.compact_formats = &compact_formats;
    const std::string telegram = joined(command.telegram);
    if (telegram == "-") {
        return decode_stdin(command, options);
    }
    return decode_and_print(command, options, telegram, "") ? kExitOk : kExitProblems;
}

}  // namespace

void add_decode_command(CLI::App& app, int& exit_code) {
    auto command_options = std::make_shared<DecodeCommandOptions>();
    auto* command = app.add_subcommand(
        "decode",
        "Decode one meter telegram, wmbusmeters message or LoRaWAN payload to its readings (JSON, "
        "SenML pack)");
    std::vector<std::string> codec_names{"list"};
    for (const Codec& codec : kCodecs) {
        codec_names.emplace_back(codec.name);
    }
    for (const lorawan::PayloadCodec& codec : lorawan::payload_codecs()) {
        codec_names.emplace_back(codec.name);
    }
    command
        ->add_option("--codec", command_options->codec,
                     "mbus, wmbus, wmbusmeters, lpp, elsys, milesight, dragino-lht65, or list")
        ->required()
        ->check(CLI::IsMember(codec_names));
    auto* key = command->add_option("--key", command_options->key_hex,
                                    "AES-128 key, 32 hex digits (visible in ps: prefer --key-env)");
    command
        ->add_option("--key-env", command_options->key_env,
                     "Name of the environment variable that holds the key")
        ->excludes(key);
    command->add_flag("--format-b", command_options->format_b,
                      "The receiver says frame format B (L counts the CRCs)");
    command->add_flag("--accept-plaintext", command_options->accept_plaintext,
                      "Content logged after decryption (as wmbusmeters logs it) is accepted when "
                      "its plaintext check passes");
    command
        ->add_option("--fport", command_options->f_port,
                     "The uplink's fPort, for the LoRaWAN codecs that accept only some ports")
        ->check(CLI::Range(1, 255));
    command->add_option("telegram", command_options->telegram,
                        "Hex (spaces allowed), telegram=|HEX|, a wmbusmeters JSON message, a "
                        "LoRaWAN payload in hex, or - for one per line of stdin");
    command->callback([command_options, &exit_code] { exit_code = decode(*command_options); });
}

}  // namespace passerelle::cli
