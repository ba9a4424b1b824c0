// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/connectors_loader.h"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "connectors/modbus/map_loader.h"
#include "gateway/config/json_mapping_loader.h"
#include "gateway/core/topic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kConnectorKeys{"wmbus",    "wmbusmeters", "lorawan",
                                              "mbus_tcp", "modbus",      "json"};
const std::vector<std::string> kModbusKeys{"devices"};
const std::vector<std::string> kLorawanKeys{"topics"};
const std::vector<std::string> kMbusTcpKeys{"endpoint", "addresses", "interval", "timeout",
                                            "attempts"};
const std::vector<std::string> kWmbusKeys{"topics", "format_b"};
const std::vector<std::string> kWmbusmetersKeys{"topics"};

// A filter that could match canonical topics would feed the connectors' own output back to them.
bool reaches_canonical(const std::string& filter) {
    return topic_matches(filter, "telemetry/p/e/q") || topic_matches(filter, "signal/p/n") ||
           filter_covers(filter, "telemetry/#") || filter_covers(filter, "signal/#");
}

}  // namespace

std::vector<std::string> read_topics(MappingReader& reader, const std::string& connector) {
    std::vector<std::string> topics;
    const YAML::Node node = reader.get("topics");
    Diagnostics& diagnostics = reader.diagnostics();
    if (!node) {
        diagnostics.error("config.no-topics",
                          fmt::format("connector '{}' needs 'topics', the MQTT filters where its "
                                      "messages arrive",
                                      connector),
                          reader.span());
        return topics;
    }
    if (!node.IsSequence() || node.size() == 0) {
        diagnostics.error("config.bad-topics",
                          "'topics' is a list of MQTT topic filters, e.g. [wmbus/+/telegram]",
                          span_of(node, reader.file()));
        return topics;
    }
    for (const auto& item : node) {
        const SourceSpan span = span_of(item, reader.file());
        if (!item.IsScalar()) {
            diagnostics.error("config.bad-topics", "a topic filter is a single text", span);
            continue;
        }
        const std::string& filter = item.Scalar();
        if (auto valid = validate_topic_filter(filter); !valid) {
            diagnostics.error("config.bad-topics", valid.error().message, span);
        } else if (reaches_canonical(filter)) {
            diagnostics.error("config.bad-topics",
                              fmt::format("'{}' reaches canonical topics (telemetry/…, signal/…), "
                                          "which the connectors write; give the topics where the "
                                          "raw messages arrive",
                                          filter),
                              span);
        } else {
            topics.push_back(filter);
        }
    }
    return topics;
}

namespace {

// "host:port", the port a number.
bool split_endpoint(const std::string& text, MbusTcpSettings& out) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        return false;
    }
    int port = 0;
    const std::string digits = text.substr(colon + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() || port < 1 || port > 65535) {
        return false;
    }
    out.host = text.substr(0, colon);
    out.port = static_cast<std::uint16_t>(port);
    return true;
}

std::vector<std::uint8_t> read_addresses(MappingReader& reader) {
    std::vector<std::uint8_t> addresses;
    const YAML::Node node = reader.get("addresses");
    Diagnostics& diagnostics = reader.diagnostics();
    if (!node || !node.IsSequence() || node.size() == 0) {
        diagnostics.error("config.bad-addresses",
                          "'addresses' lists the meters' primary addresses, e.g. [1, 2]",
                          node ? span_of(node, reader.file()) : reader.span());
        return addresses;
    }
    for (const auto& item : node) {
        int address = -1;
        // 0-250 are meters' addresses; 254 asks whichever single meter is on the line.
        if (!item.IsScalar() || !YAML::convert<int>::decode(item, address) || address < 0 ||
            (address > 250 && address != 254)) {
            diagnostics.error("config.bad-addresses",
                              "a primary address is a number from 0 to 250, or 254 for the only "
                              "meter of a line",
                              span_of(item, reader.file()));
            continue;
        }
        addresses.push_back(static_cast<std::uint8_t>(address));
    }
    return addresses;
}

void read_mbus_tcp(const YAML::Node& node, const std::string& file,
                   std::vector<MbusTcpSettings>& out, Diagnostics& diagnostics) {
    if (!node.IsSequence()) {
        diagnostics.error("config.bad-mbus-tcp",
                          "'mbus_tcp' is a list of serial-to-TCP servers, e.g. [{endpoint: "
                          "10.0.0.5:10001, addresses: [1, 2]}]",
                          span_of(node, file));
        return;
    }
    for (const auto& item : node) {
        MappingReader reader(item, file, "mbus_tcp endpoint", kMbusTcpKeys, diagnostics);
        if (!item.IsMap()) {
            continue;
        }
        MbusTcpSettings endpoint;
        if (auto text = reader.required_string("endpoint"); text && !split_endpoint(*text, endpoint)) {
            diagnostics.error("config.bad-endpoint",
                              fmt::format("endpoint '{}' must be host:port, e.g. 10.0.0.5:10001",
                                          *text),
                              span_of(reader.get("endpoint"), file));
        }
        endpoint.addresses = read_addresses(reader);
        if (auto interval = reader.optional_duration("interval")) {
            if (*interval < std::chrono::seconds(1)) {
                diagnostics.error("config.bad-interval", "'interval' must be at least 1s",
                                  span_of(reader.get("interval"), file));
            }
            endpoint.interval = *interval;
        }
        if (auto timeout = reader.optional_duration("timeout")) {
            if (*timeout < std::chrono::milliseconds(10) || *timeout > std::chrono::minutes(1)) {
                diagnostics.error("config.bad-timeout", "'timeout' must be between 10ms and 1min",
                                  span_of(reader.get("timeout"), file));
            }
            endpoint.timeout = *timeout;
        }
        if (auto attempts = reader.optional_int("attempts")) {
            if (*attempts < 1 || *attempts > 10) {
                diagnostics.error("config.bad-attempts", "'attempts' must be from 1 to 10",
                                  span_of(reader.get("attempts"), file));
            }
            endpoint.attempts = *attempts;
        }
        out.push_back(std::move(endpoint));
    }
}

// `modbus: {devices: [files]}`: each file a device and its register map (connectors/modbus).
void read_modbus(MappingReader& reader, const std::string& file,
                 std::vector<connectors::modbus::Device>& out, Diagnostics& diagnostics) {
    const YAML::Node devices = reader.get("devices");
    if (!devices || !devices.IsSequence() || devices.size() == 0) {
        diagnostics.error("config.bad-modbus",
                          "'devices' lists the Modbus device files, e.g. [modbus/sst-nord.yaml]",
                          devices ? span_of(devices, file) : reader.span());
        return;
    }
    const std::filesystem::path base = std::filesystem::path(file).parent_path();
    for (const auto& item : devices) {
        if (!item.IsScalar()) {
            diagnostics.error("config.bad-modbus", "a device file is a path", span_of(item, file));
            continue;
        }
        const std::string path = (base / item.Scalar()).lexically_normal().string();
        if (!std::filesystem::is_regular_file(path)) {
            diagnostics.error("config.no-such-file",
                              fmt::format("no Modbus device file '{}'", item.Scalar()),
                              span_of(item, file));
            continue;
        }
        if (auto device = connectors::modbus::load_device_file(path, diagnostics)) {
            out.push_back(std::move(*device));
        }
    }
}

}  // namespace

void read_connectors(const YAML::Node& node, const std::string& file, ConnectorSettings& out,
                     Diagnostics& diagnostics) {
    MappingReader reader(node, file, "connectors section", kConnectorKeys, diagnostics);
    if (!node.IsMap()) {
        return;
    }
    if (const YAML::Node wmbus = reader.get("wmbus")) {
        MappingReader wmbus_reader(wmbus, file, "wmbus connector", kWmbusKeys, diagnostics);
        WmbusConnectorSettings settings;
        settings.topics = read_topics(wmbus_reader, "wmbus");
        if (wmbus_reader.has("format_b")) {
            const YAML::Node flag = wmbus_reader.get("format_b");
            bool value = false;
            if (flag.IsScalar() && YAML::convert<bool>::decode(flag, value)) {
                settings.format_b = value;
            } else {
                diagnostics.error("config.bad-format-b", "'format_b' must be true or false",
                                  span_of(flag, file));
            }
        }
        out.wmbus = std::move(settings);
    }
    if (const YAML::Node wmbusmeters = reader.get("wmbusmeters")) {
        MappingReader wmbusmeters_reader(wmbusmeters, file, "wmbusmeters connector",
                                         kWmbusmetersKeys, diagnostics);
        out.wmbusmeters_topics = read_topics(wmbusmeters_reader, "wmbusmeters");
    }
    if (const YAML::Node lorawan = reader.get("lorawan")) {
        MappingReader lorawan_reader(lorawan, file, "lorawan connector", kLorawanKeys, diagnostics);
        out.lorawan_topics = read_topics(lorawan_reader, "lorawan");
    }
    if (const YAML::Node modbus = reader.get("modbus")) {
        MappingReader modbus_reader(modbus, file, "modbus connector", kModbusKeys, diagnostics);
        read_modbus(modbus_reader, file, out.modbus_devices, diagnostics);
    }
    if (const YAML::Node mbus_tcp = reader.get("mbus_tcp")) {
        read_mbus_tcp(mbus_tcp, file, out.mbus_tcp, diagnostics);
    }
    if (const YAML::Node json = reader.get("json")) {
        if (!json.IsSequence() || json.size() == 0) {
            diagnostics.error("config.bad-json-mapping",
                              "'json' is a list of mappings, e.g. [{topics: [capteurs/+/mesure], "
                              "entity: {topic_segment: 1}, values: [...]}]",
                              span_of(json, file));
        } else {
            for (const auto& item : json) {
                if (auto mapping = read_json_mapping(item, file, diagnostics)) {
                    out.json.push_back(std::move(*mapping));
                }
            }
        }
    }
}

std::vector<std::string> ConnectorSettings::topics() const {
    std::vector<std::string> all;
    if (wmbus) {
        all = wmbus->topics;
    }
    all.insert(all.end(), wmbusmeters_topics.begin(), wmbusmeters_topics.end());
    all.insert(all.end(), lorawan_topics.begin(), lorawan_topics.end());
    for (const auto& mapping : json) {
        all.insert(all.end(), mapping.topics.begin(), mapping.topics.end());
    }
    return all;
}

}  // namespace passerelle::config
