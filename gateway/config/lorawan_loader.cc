// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/lorawan_loader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "connectors/lorawan/device_adapter.h"
#include "gateway/config/json_mapping_loader.h"
#include "gateway/core/spelling.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kLorawanDeviceKeys{"dev_eui", "codec", "fields"};
// Readings taken from the network server's own decoded object, by `fields`, instead of a codec.
using connectors::lorawan::kNetworkServerCodec;

bool is_eui(const std::string& text) {
    return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

}  // namespace

void read_lorawan_device(const YAML::Node& node, const std::string& file, const std::string& entity,
                         const std::vector<std::string>& codecs, LorawanDirectory& devices,
                         Diagnostics& diagnostics) {
    MappingReader reader(node, file, "lorawan device", kLorawanDeviceKeys, diagnostics);
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
    std::vector<std::string> known = codecs;
    known.emplace_back(kNetworkServerCodec);
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
    std::vector<FieldSpec> fields;
    if (*codec == kNetworkServerCodec) {
        const YAML::Node list = reader.get("fields");
        if (!list) {
            diagnostics.error("config.bad-field",
                              "codec network-server needs 'fields', the readings to take from the "
                              "server's decoded object, e.g. [{quantity: temperature, pointer: "
                              "/temperature, unit: Cel}]",
                              span_of(reader.get("codec"), file));
            return;
        }
        // No topic levels: the uplink topics are the network server's, not the device's.
        const std::size_t errors_before = diagnostics.error_count();
        fields = read_field_specs(list, file, "fields", {}, diagnostics);
        if (diagnostics.error_count() != errors_before) {
            return;
        }
    } else if (reader.has("fields")) {
        diagnostics.error("config.bad-field",
                          fmt::format("'fields' is for codec network-server; codec '{}' names "
                                      "its readings itself",
                                      *codec),
                          span_of(reader.get("fields"), file));
        return;
    }
    if (!devices.add({*dev_eui, *codec, entity, span, std::move(fields)})) {
        diagnostics.error("config.duplicate-device",
                          fmt::format("LoRaWAN device {} is declared for two entities", *dev_eui),
                          span);
    }
}

}  // namespace passerelle::config
