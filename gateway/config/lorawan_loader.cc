// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/lorawan_loader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kLorawanKeys{"dev_eui", "codec"};

bool is_eui(const std::string& text) {
    return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

}  // namespace

void read_lorawan_device(const YAML::Node& node, const std::string& file, const std::string& entity,
                         const std::vector<std::string>& codecs, LorawanDirectory& devices,
                         Diagnostics& diagnostics) {
    MappingReader reader(node, file, "lorawan device", kLorawanKeys, diagnostics);
    if (!node.IsMap()) {
        return;
    }
    const auto dev_eui = reader.required_string("dev_eui");
    const auto codec = reader.required_string("codec");
    if (!dev_eui || !codec) {
        return;
    }
    const SourceSpan span = span_of(reader.get("dev_eui"), file);
    if (!is_eui(*dev_eui)) {
        diagnostics.error("config.bad-dev-eui",
                          fmt::format("dev_eui '{}' must be the device's 16 hex digits, e.g. "
                                      "a84041000181c061",
                                      *dev_eui),
                          span);
        return;
    }
    const std::vector<std::string>& known = codecs;
    if (std::find(known.begin(), known.end(), *codec) == known.end()) {
        const std::string suggestion = did_you_mean(*codec, known);
        diagnostics.error("config.unknown-codec",
                          suggestion.empty()
                              ? fmt::format("unknown codec '{}'; the codecs are {}", *codec,
                                            fmt::join(known, ", "))
                              : fmt::format("unknown codec '{}'{}", *codec, suggestion),
                          span_of(reader.get("codec"), file));
        return;
    }
    if (!devices.add({*dev_eui, *codec, entity, span, {}})) {
        diagnostics.error("config.duplicate-device",
                          fmt::format("LoRaWAN device {} is declared for two entities", *dev_eui),
                          span);
    }
}

}  // namespace passerelle::config
