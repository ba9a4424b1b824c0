// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/meter_loader.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "connectors/wmbus/aes.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kMeterKeys{"id", "manufacturer", "key", "key_env", "key_file"};

bool is_meter_id(const std::string& id) {
    if (id.size() != 8) {
        return false;
    }
    for (const char c : id) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

std::string upper(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

// The key's hex digits from wherever the registry says it is kept; nullopt after a diagnostic.
std::optional<std::string> read_key_text(MappingReader& reader, const std::string& file,
                                         Diagnostics& diagnostics) {
    const bool inline_key = reader.has("key");
    const bool env_key = reader.has("key_env");
    const bool file_key = reader.has("key_file");
    if (static_cast<int>(inline_key) + static_cast<int>(env_key) + static_cast<int>(file_key) > 1) {
        diagnostics.error("config.meter-key",
                          "give a meter's key one way only: 'key', 'key_env' or 'key_file'",
                          reader.span());
        return std::nullopt;
    }
    if (inline_key) {
        diagnostics.warning("config.inline-key",
                            "a key written in the registry goes wherever the file goes (backups, "
                            "version control); keep it in 'key_env' or 'key_file' instead",
                            span_of(reader.get("key"), file));
        return reader.optional_string("key");
    }
    if (env_key) {
        const auto variable = reader.optional_string("key_env");
        if (!variable) {
            return std::nullopt;
        }
        const char* value = std::getenv(variable->c_str());
        if (value == nullptr) {
            diagnostics.error("config.missing-secret",
                              fmt::format("the environment variable '{}' holding the meter's key "
                                          "is not set",
                                          *variable),
                              span_of(reader.get("key_env"), file));
            return std::nullopt;
        }
        return std::string(value);
    }
    if (file_key) {
        const auto name = reader.optional_string("key_file");
        if (!name) {
            return std::nullopt;
        }
        const std::filesystem::path path =
            std::filesystem::path(file).parent_path() / std::filesystem::path(*name);
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) {
            diagnostics.error("config.missing-secret",
                              fmt::format("cannot read the meter's key file '{}'", path.string()),
                              span_of(reader.get("key_file"), file));
            return std::nullopt;
        }
        return text.str();
    }
    return std::string();
}

}  // namespace

void read_meter(const YAML::Node& node, const std::string& file, const std::string& entity,
                MeterDirectory& meters, Diagnostics& diagnostics) {
    MappingReader reader(node, file, "meter", kMeterKeys, diagnostics);
    if (!node.IsMap()) {
        return;
    }
    const auto id = reader.required_string("id");
    if (!id) {
        return;
    }
    MeterBinding meter;
    meter.id = upper(*id);
    meter.entity = entity;
    meter.span = span_of(reader.get("id"), file);
    if (!is_meter_id(meter.id)) {
        diagnostics.error("config.bad-meter-id",
                          fmt::format("meter id '{}' must be the 8 digits telegrams carry, e.g. "
                                      "\"76348799\" (quoted, so that leading zeros stay)",
                                      *id),
                          meter.span);
        return;
    }
    if (auto manufacturer = reader.optional_string("manufacturer")) {
        meter.manufacturer = upper(*manufacturer);
        const bool letters = meter.manufacturer.size() == 3 &&
                             std::all_of(meter.manufacturer.begin(), meter.manufacturer.end(),
                                         [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!letters) {
            diagnostics.error("config.bad-manufacturer",
                              fmt::format("manufacturer '{}' must be the three-letter code of the "
                                          "telegrams (KAM, SEN, DME...)",
                                          *manufacturer),
                              span_of(reader.get("manufacturer"), file));
            return;
        }
    }
    auto key_text = read_key_text(reader, file, diagnostics);
    if (!key_text) {
        return;
    }
    if (!key_text->empty()) {
        // The parser's messages never quote the text, so they can be shown as they are.
        auto key = connectors::wmbus::parse_aes_key(*key_text);
        if (!key) {
            diagnostics.error("config.bad-meter-key",
                              fmt::format("meter {}: {}", meter.id, key.error().message),
                              reader.span());
            return;
        }
        meter.key_hex = *key_text;
    }
    const SourceSpan span = meter.span;
    const std::string meter_id = meter.id;
    if (!meters.add(std::move(meter))) {
        diagnostics.error("config.duplicate-meter",
                          fmt::format("meter {} is declared for two entities; give each its "
                                      "'manufacturer' if two makers use the same number",
                                      meter_id),
                          span);
    }
}

}  // namespace passerelle::config
