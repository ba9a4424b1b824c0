// SPDX-License-Identifier: Apache-2.0
// `passerelle decode --codec mbus|wmbus HEX` and `--codec wmbusmeters JSON`: one meter telegram (or
// one wmbusmeters message) to its identity and readings, as the connectors decode it;
// `--codec lpp|elsys|milesight|dragino-lht65 [--fport N] HEX`: one LoRaWAN payload to its readings;
// `--codec chirpstack|ttn [--payload-codec NAME] FILE|JSON`: one network server's uplink to the
// device's identity, radio metadata and readings. `-` decodes one per line of stdin.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/codecs/payload_text.h"
#include "connectors/lorawan/envelopes/envelope.h"
#include "connectors/lorawan/envelopes/radio_readings.h"
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
    {"chirpstack", "ChirpStack v4 uplink event (JSON): device, radio metadata, payload"},
    {"ttn", "The Things Stack v3 uplink message (JSON): device, radio metadata, payload"},
};

bool is_envelope(const std::string& codec) { return codec == "chirpstack" || codec == "ttn"; }

struct DecodeCommandOptions {
    std::string codec;
    std::string key_hex;
    std::string key_env;
    bool format_b = false;
    bool accept_plaintext = false;
    std::optional<int> f_port;          // LoRaWAN codecs only
    std::string payload_codec;          // chirpstack and ttn: the codec of the device's payload
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

// A network server's uplink: {"codec":"chirpstack","uplink":{...},"readings":<SenML pack of the
// payload codec's readings, then the radio's>,"notes":[...]}.
Result<nlohmann::json> decode_envelope(const DecodeCommandOptions& command, std::string_view text) {
    auto uplink = command.codec == "chirpstack" ? lorawan::parse_chirpstack_uplink(text)
                                                : lorawan::parse_tts_uplink(text);
    if (!uplink) {
        return uplink.error();
    }
    lorawan::DecodedPayload payload;
    if (!command.payload_codec.empty() && !uplink->payload.empty()) {
        std::optional<int> f_port;
        if (uplink->f_port) {
            f_port = *uplink->f_port;
        }
        auto decoded = lorawan::decode_payload(*lorawan::find_codec(command.payload_codec),
                                               lorawan::PayloadInput{uplink->payload, f_port});
        if (!decoded) {
            return decoded.error();
        }
        payload = std::move(*decoded);
    }
    for (const Reading& radio : lorawan::radio_readings(*uplink, "", "", Timestamp{})) {
        payload.readings.push_back({radio.quantity, radio.value, radio.unit, std::nullopt});
    }
    nlohmann::json out = lorawan::to_json(command.codec, payload);
    out["uplink"] = lorawan::to_json(*uplink);
    return out;
}

Result<nlohmann::json> decode_text(const DecodeCommandOptions& command,
                                   const wmbus::DecodeOptions& options, std::string_view text) {
    if (command.codec == "wmbusmeters") {
        return decode_wmbusmeters(text);
    }
    if (is_envelope(command.codec)) {
        return decode_envelope(command, text);
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

// An uplink saved as a file: its whole text (a pretty-printed JSON spans lines).
Result<std::string> read_envelope_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) {
        return make_error("decode.no-file", fmt::format("cannot read '{}'", path));
    }
    return text.str();
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
    if (!command.payload_codec.empty() && !is_envelope(command.codec)) {
        return "--payload-codec is for --codec chirpstack and --codec ttn";
    }
    if (is_envelope(command.codec) && (keyed || command.format_b || command.accept_plaintext)) {
        return "--key, --key-env, --format-b and --accept-plaintext are for --codec wmbus "
               "(LoRaWAN payloads arrive decrypted from the network server)";
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
        if (is_envelope(command.codec)) {
            return "an uplink is needed: a JSON file, the JSON itself, or - for one per line of "
                   "stdin";
        }
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
    std::string telegram = joined(command.telegram);
    if (telegram == "-") {
        return decode_stdin(command, options);
    }
    if (is_envelope(command.codec) && telegram.front() != '{') {
        auto text = read_envelope_file(telegram);
        if (!text) {
            std::fprintf(stderr, "decode: %s\n", text.error().message.c_str());
            return kExitUsage;
        }
        telegram = std::move(*text);
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
                     "mbus, wmbus, wmbusmeters, chirpstack, ttn, lpp, elsys, milesight, "
                     "dragino-lht65, or list")
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
    std::vector<std::string> payload_codecs;
    for (const lorawan::PayloadCodec& codec : lorawan::payload_codecs()) {
        payload_codecs.emplace_back(codec.name);
    }
    command
        ->add_option("--payload-codec", command_options->payload_codec,
                     "With chirpstack or ttn: the device's payload codec (lpp, elsys...)")
        ->check(CLI::IsMember(payload_codecs));
    command->add_option("telegram", command_options->telegram,
                        "Hex (spaces allowed), telegram=|HEX|, a wmbusmeters JSON message, a "
                        "LoRaWAN payload in hex, or - for one per line of stdin");
    command->callback([command_options, &exit_code] { exit_code = decode(*command_options); });
}

}  // namespace passerelle::cli
