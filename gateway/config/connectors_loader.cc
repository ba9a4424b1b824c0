// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/connectors_loader.h"

#include <fmt/format.h>

#include "gateway/core/topic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kConnectorKeys{"wmbus", "wmbusmeters"};
const std::vector<std::string> kWmbusKeys{"topics", "format_b"};
const std::vector<std::string> kWmbusmetersKeys{"topics"};

// A filter that could match canonical topics would feed the connectors' own output back to them.
bool reaches_canonical(const std::string& filter) {
    return topic_matches(filter, "telemetry/p/e/q") || topic_matches(filter, "signal/p/n") ||
           filter_covers(filter, "telemetry/#") || filter_covers(filter, "signal/#");
}

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
}

std::vector<std::string> ConnectorSettings::topics() const {
    std::vector<std::string> all;
    if (wmbus) {
        all = wmbus->topics;
    }
    all.insert(all.end(), wmbusmeters_topics.begin(), wmbusmeters_topics.end());
    return all;
}

}  // namespace passerelle::config
