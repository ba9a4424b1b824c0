// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/json_mapping_loader.h"

#include <cmath>

#include <fmt/format.h>

#include "gateway/config/connectors_loader.h"
#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"
#include "gateway/core/units.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using connectors::json::Mapping;
using connectors::json::TimeFormat;
using connectors::json::TimeSpec;
using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kMappingKeys{"topics", "entity", "records", "time", "values"};
const std::vector<std::string> kValueKeys{"quantity", "pointer", "unit",    "unit_pointer",
                                          "scale",    "offset",  "optional"};
const std::vector<std::string> kSourceKeys{"topic_segment", "pointer"};
const std::vector<std::string> kTimeKeys{"pointer", "format"};
const std::vector<std::string> kTimeFormats{"rfc3339", "unix_s", "unix_ms"};

std::optional<JsonPointer> read_pointer(const YAML::Node& node, const std::string& file,
                                        Diagnostics& diagnostics) {
    if (!node.IsScalar()) {
        diagnostics.error("config.bad-pointer", "a JSON pointer is a text such as /temperature",
                          span_of(node, file));
        return std::nullopt;
    }
    auto pointer = parse_json_pointer(node.Scalar());
    if (!pointer) {
        diagnostics.error("config.bad-pointer", pointer.error().message, span_of(node, file));
        return std::nullopt;
    }
    return *pointer;
}

// A topic_segment names a level the filters leave open ('+'): a fixed level would always give
// the same name, and one past the filter's end or under '#' may not exist.
bool check_segment(std::size_t segment, const YAML::Node& node, const std::string& file,
                   const std::vector<std::string>& filters, Diagnostics& diagnostics) {
    if (filters.empty()) {
        diagnostics.error("config.bad-segment",
                          "a topic_segment needs the mapping's own topics; here, name the value or "
                          "give its pointer",
                          span_of(node, file));
        return false;
    }
    for (const std::string& filter : filters) {
        const std::vector<std::string_view> levels = split_topic(filter);
        if (segment < levels.size() && levels[segment] == "+") {
            continue;
        }
        std::string problem;
        if (segment < levels.size() && levels[segment] != "#") {
            problem = fmt::format("is the fixed level '{}' of '{}'; write the name itself",
                                  levels[segment], filter);
        } else {
            problem = fmt::format("is not a '+' level of '{}' (levels count from 0)", filter);
        }
        diagnostics.error("config.bad-segment",
                          fmt::format("topic_segment {} {}", segment, problem),
                          span_of(node, file));
        return false;
    }
    return true;
}

// `what` is a name, {topic_segment: N} or {pointer: /p}.
std::optional<TextSource> read_source(const YAML::Node& node, const std::string& file,
                                      const std::string& what,
                                      const std::vector<std::string>& filters,
                                      Diagnostics& diagnostics) {
    if (node.IsScalar()) {
        if (!is_identifier(node.Scalar())) {
            diagnostics.error("config.bad-name",
                              fmt::format("{} '{}' may only hold letters, digits, '-', '_' and "
                                          "'.', since it becomes a topic level",
                                          what, node.Scalar()),
                              span_of(node, file));
            return std::nullopt;
        }
        return TextSource{TextSource::Kind::Constant, node.Scalar(), 0, {}};
    }
    MappingReader reader(node, file, what, kSourceKeys, diagnostics);
    if (!node.IsMap()) {
        return std::nullopt;
    }
    if (reader.has("topic_segment") == reader.has("pointer")) {
        diagnostics.error(
            "config.bad-field",
            fmt::format("{} is a name, {{topic_segment: N}} or {{pointer: /p}}", what),
            reader.span());
        return std::nullopt;
    }
    if (reader.has("pointer")) {
        auto pointer = read_pointer(reader.get("pointer"), file, diagnostics);
        if (!pointer) {
            return std::nullopt;
        }
        return TextSource{TextSource::Kind::Pointer, "", 0, std::move(*pointer)};
    }
    const auto segment = reader.optional_int("topic_segment");
    if (!segment) {
        return std::nullopt;
    }
    const YAML::Node at = reader.get("topic_segment");
    if (*segment < 0) {
        diagnostics.error("config.bad-segment", "topic_segment counts levels from 0",
                          span_of(at, file));
        return std::nullopt;
    }
    const auto level = static_cast<std::size_t>(*segment);
    if (!check_segment(level, at, file, filters, diagnostics)) {
        return std::nullopt;
    }
    return TextSource{TextSource::Kind::TopicSegment, "", level, {}};
}

std::optional<double> read_number(MappingReader& reader, const std::string& key) {
    const YAML::Node node = reader.get(key);
    double number = 0.0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, number) ||
        !std::isfinite(number)) {
        reader.diagnostics().error("config.bad-scale",
                                   fmt::format("'{}' must be a finite number", key),
                                   span_of(node, reader.file()));
        return std::nullopt;
    }
    return number;
}

bool check_unit(const YAML::Node& node, const std::string& file, Diagnostics& diagnostics) {
    const std::string& unit = node.Scalar();
    if (is_senml_unit(unit)) {
        return true;
    }
    const auto hint = senml_unit_hint(unit);
    diagnostics.error("config.unknown-unit",
                      fmt::format("unknown unit '{}': readings carry SenML units (RFC 8428){}",
                                  unit, hint ? fmt::format("; write {}", *hint) : std::string()),
                      span_of(node, file));
    return false;
}

std::optional<FieldSpec> read_field_spec(const YAML::Node& node, const std::string& file,
                                         const std::vector<std::string>& filters,
                                         Diagnostics& diagnostics) {
    MappingReader reader(node, file, "value", kValueKeys, diagnostics);
    if (!node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    FieldSpec spec;
    spec.span = reader.span();
    if (const YAML::Node quantity = reader.get("quantity")) {
        if (auto source = read_source(quantity, file, "quantity", filters, diagnostics)) {
            spec.quantity = std::move(*source);
        }
    } else {
        diagnostics.error("config.bad-field", "a value needs its 'quantity'", reader.span());
    }
    if (const YAML::Node pointer = reader.get("pointer")) {
        if (auto parsed = read_pointer(pointer, file, diagnostics)) {
            spec.pointer = std::move(*parsed);
        }
    } else {
        diagnostics.error("config.bad-field",
                          "a value needs its 'pointer', the JSON pointer of its number, e.g. /t",
                          reader.span());
    }
    if (reader.has("unit") && reader.has("unit_pointer")) {
        diagnostics.error("config.bad-field", "give 'unit' or 'unit_pointer', not both",
                          span_of(reader.get("unit_pointer"), file));
    } else if (const YAML::Node unit = reader.get("unit")) {
        if (unit.IsScalar() && check_unit(unit, file, diagnostics)) {
            spec.unit = unit.Scalar();
        } else if (!unit.IsScalar()) {
            diagnostics.error("config.unknown-unit", "a unit is a SenML symbol such as Cel",
                              span_of(unit, file));
        }
    } else if (const YAML::Node unit_pointer = reader.get("unit_pointer")) {
        spec.unit_pointer = read_pointer(unit_pointer, file, diagnostics);
    }
    if (reader.has("scale")) {
        if (auto scale = read_number(reader, "scale")) {
            if (*scale == 0.0) {
                diagnostics.error("config.bad-scale", "'scale' 0 would make every value 0",
                                  span_of(reader.get("scale"), file));
            }
            spec.scale = *scale;
        }
    }
    if (reader.has("offset")) {
        spec.offset = read_number(reader, "offset").value_or(0.0);
    }
    if (const YAML::Node optional = reader.get("optional")) {
        if (!optional.IsScalar() || !YAML::convert<bool>::decode(optional, spec.optional)) {
            diagnostics.error("config.bad-field", "'optional' must be true or false",
                              span_of(optional, file));
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return spec;
}

std::optional<TimeSpec> read_time(const YAML::Node& node, const std::string& file,
                                  Diagnostics& diagnostics) {
    MappingReader reader(node, file, "time", kTimeKeys, diagnostics);
    if (!node.IsMap()) {
        return std::nullopt;
    }
    TimeSpec spec;
    if (const YAML::Node pointer = reader.get("pointer")) {
        auto parsed = read_pointer(pointer, file, diagnostics);
        if (!parsed) {
            return std::nullopt;
        }
        spec.pointer = std::move(*parsed);
    } else {
        diagnostics.error("config.bad-field", "'time' needs the 'pointer' of the record's time",
                          reader.span());
        return std::nullopt;
    }
    if (const auto format = reader.optional_string("format")) {
        const auto it = std::find(kTimeFormats.begin(), kTimeFormats.end(), *format);
        if (it == kTimeFormats.end()) {
            const std::string suggestion = did_you_mean(*format, kTimeFormats);
            diagnostics.error(
                "config.bad-time-format",
                fmt::format("unknown time format '{}'{}", *format,
                            suggestion.empty()
                                ? fmt::format("; the formats are {}", fmt::join(kTimeFormats, ", "))
                                : suggestion),
                span_of(reader.get("format"), file));
            return std::nullopt;
        }
        spec.format = static_cast<TimeFormat>(it - kTimeFormats.begin());
    }
    return spec;
}

}  // namespace

std::vector<FieldSpec> read_field_specs(const YAML::Node& node, const std::string& file,
                                        const std::string& key,
                                        const std::vector<std::string>& topic_filters,
                                        Diagnostics& diagnostics) {
    std::vector<FieldSpec> specs;
    if (!node.IsSequence() || node.size() == 0) {
        diagnostics.error("config.bad-field",
                          fmt::format("'{}' lists the values to read, e.g. [{{quantity: "
                                      "temperature, pointer: /temperature, unit: Cel}}]",
                                      key),
                          span_of(node, file));
        return specs;
    }
    for (const auto& item : node) {
        if (auto spec = read_field_spec(item, file, topic_filters, diagnostics)) {
            specs.push_back(std::move(*spec));
        }
    }
    return specs;
}

std::optional<Mapping> read_json_mapping(const YAML::Node& node, const std::string& file,
                                         Diagnostics& diagnostics) {
    MappingReader reader(node, file, "json mapping", kMappingKeys, diagnostics);
    if (!node.IsMap()) {
        return std::nullopt;
    }
    const std::size_t errors_before = diagnostics.error_count();
    Mapping mapping;
    mapping.span = reader.span();
    mapping.topics = read_topics(reader, "json");
    // The gateway's own device reports and dead letters: a mapping reading them would feed each
    // message it makes back to itself.
    for (const std::string& filter : mapping.topics) {
        if (topic_matches(filter, "device/p/e") ||
            topic_matches(filter, "passerelle/i/deadletter")) {
            diagnostics.error("config.bad-topics",
                              fmt::format("'{}' reaches the gateway's own device/… or "
                                          "passerelle/… topics; give the topics where the "
                                          "devices publish",
                                          filter),
                              span_of(reader.get("topics"), file));
        }
    }
    if (const YAML::Node entity = reader.get("entity")) {
        if (auto source = read_source(entity, file, "entity", mapping.topics, diagnostics)) {
            mapping.entity = std::move(*source);
        }
    } else {
        diagnostics.error("config.bad-field",
                          "a json mapping needs its 'entity': a name, {topic_segment: N} or "
                          "{pointer: /p}",
                          reader.span());
    }
    if (const YAML::Node records = reader.get("records")) {
        mapping.records = read_pointer(records, file, diagnostics);
    }
    if (const YAML::Node time = reader.get("time")) {
        mapping.time = read_time(time, file, diagnostics);
    }
    if (const YAML::Node values = reader.get("values")) {
        mapping.values = read_field_specs(values, file, "values", mapping.topics, diagnostics);
    } else {
        diagnostics.error("config.bad-field",
                          "a json mapping needs its 'values', e.g. [{quantity: temperature, "
                          "pointer: /temperature, unit: Cel}]",
                          reader.span());
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return mapping;
}

void check_json_mapping_entities(const std::vector<Mapping>& mappings,
                                 const EntityRegistry& entities, Diagnostics& diagnostics) {
    std::vector<std::string> ids;
    for (const auto& entity : entities.all()) {
        ids.push_back(entity.id);
    }
    for (const Mapping& mapping : mappings) {
        if (mapping.entity.kind == TextSource::Kind::Constant &&
            entities.find(mapping.entity.constant) == nullptr) {
            diagnostics.error(
                "config.unknown-entity",
                fmt::format("json mapping's entity '{}' is not an entity of the "
                            "registry{}",
                            mapping.entity.constant, did_you_mean(mapping.entity.constant, ids)),
                mapping.span);
        }
    }
}

}  // namespace passerelle::config
