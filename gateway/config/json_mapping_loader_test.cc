// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/json_mapping_loader.h"

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"
#include "gateway/config/settings_loader.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using passerelle::testing::errors;
using passerelle::testing::TempDir;

// The mapping of `text`, or nothing with its diagnostics as text in `out`.
std::optional<connectors::json::Mapping> load_mapping(const std::string& text, std::string& out) {
    Diagnostics diagnostics;
    auto node = rules::load_yaml_text(text, "m.yaml", diagnostics);
    REQUIRE(node);
    auto mapping = read_json_mapping(*node, "m.yaml", diagnostics);
    out = errors(diagnostics);
    return mapping;
}

std::string errors_of(const std::string& text) {
    std::string out;
    CHECK_FALSE(load_mapping(text, out).has_value());
    return out;
}

TEST_CASE("a JSON mapping reads its topics, entity, records, time and values", "[json_mapping]") {
    std::string out;
    const auto mapping = load_mapping(R"(topics: [capteurs/+/+/mesure]
entity: {topic_segment: 1}
records: /measures
time: {pointer: /ts, format: unix_ms}
values:
  - {quantity: {topic_segment: 2}, pointer: /v, unit: Cel, scale: 0.1, offset: -40}
  - {quantity: battery, pointer: "/bat~1mv", unit_pointer: /u, optional: true}
)",
                                      out);
    INFO(out);
    REQUIRE(mapping);
    CHECK(mapping->topics == std::vector<std::string>{"capteurs/+/+/mesure"});
    CHECK(mapping->entity.kind == TextSource::Kind::TopicSegment);
    CHECK(mapping->entity.segment == 1);
    REQUIRE(mapping->records);
    CHECK(mapping->records->tokens == std::vector<std::string>{"measures"});
    REQUIRE(mapping->time);
    CHECK(mapping->time->format == connectors::json::TimeFormat::UnixMilliseconds);
    REQUIRE(mapping->values.size() == 2);
    CHECK(mapping->values[0].quantity.segment == 2);
    CHECK(mapping->values[0].scale == 0.1);
    CHECK(mapping->values[0].offset == -40.0);
    CHECK(mapping->values[0].unit == "Cel");
    CHECK(mapping->values[1].quantity.constant == "battery");
    CHECK(mapping->values[1].pointer.tokens == std::vector<std::string>{"bat/mv"});
    REQUIRE(mapping->values[1].unit_pointer);
    CHECK(mapping->values[1].optional);
    CHECK(mapping->values[1].span.line == 7);
}

TEST_CASE("JSON mapping errors name the file, line and column", "[json_mapping]") {
    CHECK(errors_of("topics: [a/+/b]\nentity: {topic_segment: 2}\nvalues: [{quantity: t, "
                    "pointer: /t}]\n") ==
          "m.yaml:2:25: error[config.bad-segment]: topic_segment 2 is the fixed level 'b' of "
          "'a/+/b'; write the name itself\n");
    CHECK(errors_of("topics: [a/+/b]\nentity: {topic_segment: 3}\nvalues: [{quantity: t, "
                    "pointer: /t}]\n") ==
          "m.yaml:2:25: error[config.bad-segment]: topic_segment 3 is not a '+' level of "
          "'a/+/b' (levels count from 0)\n");
    CHECK(errors_of("topics: [a/#]\nentity: {topic_segment: 1}\nvalues: [{quantity: t, "
                    "pointer: /t}]\n") ==
          "m.yaml:2:25: error[config.bad-segment]: topic_segment 1 is not a '+' level of 'a/#' "
          "(levels count from 0)\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointer: t}\n") ==
          "m.yaml:4:28: error[config.bad-pointer]: a JSON pointer starts with '/' (or is empty "
          "for the whole document): 't'; did you mean '/t'?\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointer: /a~2}\n") ==
          "m.yaml:4:28: error[config.bad-pointer]: '~2' at character 3 of '/a~2': '~' is written "
          "'~0' and '/' is written '~1'\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointer: /t, unit: °C}\n") ==
          "m.yaml:4:38: error[config.unknown-unit]: unknown unit '°C': readings carry SenML "
          "units (RFC 8428); write Cel\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointer: /t, scale: 0}\n") ==
          "m.yaml:4:39: error[config.bad-scale]: 'scale' 0 would make every value 0\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointer: /t, scale: .nan}\n") ==
          "m.yaml:4:39: error[config.bad-scale]: 'scale' must be a finite number\n");
    CHECK(errors_of("topics: [a/+]\nentity: {topic_segment: 1}\nvalues:\n"
                    "  - {quantity: t, pointr: /t}\n") ==
          "m.yaml:4:5: error[config.bad-field]: a value needs its 'pointer', the JSON pointer of "
          "its number, e.g. /t\n"
          "m.yaml:4:19: error[yaml.unknown-key]: unknown key 'pointr' in a value; did you mean "
          "'pointer'?\n");
    CHECK(errors_of("topics: [telemetry/#]\nentity: e\nvalues: [{quantity: t, pointer: /t}]\n") ==
          "m.yaml:1:10: error[config.bad-topics]: 'telemetry/#' reaches canonical topics "
          "(telemetry/…, signal/…), which the connectors write; give the topics where the raw "
          "messages arrive\n");
    CHECK(errors_of("topics: [device/+/+]\nentity: e\nvalues: [{quantity: t, pointer: /t}]\n") ==
          "m.yaml:1:9: error[config.bad-topics]: 'device/+/+' reaches the gateway's own "
          "device/… or passerelle/… topics; give the topics where the devices publish\n");
    CHECK(errors_of("topics: [a]\nentity: e\ntime: {pointer: /ts, format: unix_sec}\n"
                    "values: [{quantity: t, pointer: /t}]\n") ==
          "m.yaml:3:30: error[config.bad-time-format]: unknown time format 'unix_sec'; did you "
          "mean 'unix_s'?\n");
    CHECK(errors_of("topics: [a]\nentity: {pointer: /d, topic_segment: 0}\n"
                    "values: [{quantity: 'a b', pointer: /t}]\n") ==
          "m.yaml:2:9: error[config.bad-field]: entity is a name, {topic_segment: N} or "
          "{pointer: /p}\n"
          "m.yaml:3:21: error[config.bad-name]: quantity 'a b' may only hold letters, digits, "
          "'-', '_' and '.', since it becomes a topic level\n");
}

TEST_CASE("a written-out entity must be in the registry, and LoRaWAN fields are checked",
          "[json_mapping]") {
    TempDir dir;
    dir.write("entities.yaml", R"(entities:
  - {id: d-1, provider: hs}
  - id: d-2
    provider: hs
    lorawan:
      dev_eui: 70b3d57ed0001234
      codec: network-server
      fields: [{quantity: temperature, pointer: /temperature, unit: Cel}]
  - {id: d-3, provider: hs, lorawan: {dev_eui: 70b3d57ed0001235, codec: network-server}}
  - id: d-4
    provider: hs
    lorawan:
      dev_eui: 70b3d57ed0001236
      codec: elsys
      fields: [{quantity: temperature, pointer: /temperature}]
  - id: d-5
    provider: hs
    lorawan:
      dev_eui: 70b3d57ed0001237
      codec: network-server
      fields: [{quantity: {topic_segment: 1}, pointer: /temperature}]
)");
    dir.write("rules/empty.yaml", "version: 1\nrules: []\n");
    const auto path = dir.write("passerelle.yaml", R"(stakeholders: [{id: hs}]
entities: entities.yaml
rules: rules/*.yaml
connectors:
  json:
    - {topics: [a/b], entity: d-1, values: [{quantity: t, pointer: /t}]}
    - {topics: [a/c], entity: d-7, values: [{quantity: t, pointer: /t}]}
)");
    Diagnostics diagnostics;
    auto settings = load_settings(path, diagnostics);
    const std::string text = errors(diagnostics);
    INFO(text);
    CHECK(text.find("entities.yaml:9:73: error[config.bad-field]: codec network-server needs "
                    "'fields'") != std::string::npos);
    CHECK(text.find("entities.yaml:15:15: error[config.bad-field]: 'fields' is for codec "
                    "network-server; codec 'elsys' names its readings itself") !=
          std::string::npos);
    CHECK(text.find("entities.yaml:21:43: error[config.bad-segment]: a topic_segment needs the "
                    "mapping's own topics") != std::string::npos);
    CHECK(text.find("passerelle.yaml:7:7: error[config.unknown-entity]: json mapping's entity "
                    "'d-7' is not an entity of the registry; did you mean") != std::string::npos);
    CHECK(diagnostics.error_count() == 4);
}

TEST_CASE("a LoRaWAN device's decoded fields are kept with its binding", "[json_mapping]") {
    TempDir dir;
    dir.write("entities.yaml", R"(entities:
  - id: d-2
    provider: hs
    lorawan:
      dev_eui: 70b3d57ed0001234
      codec: network-server
      fields: [{quantity: temperature, pointer: /temperature, unit: Cel}]
)");
    dir.write("rules/empty.yaml", "version: 1\nrules: []\n");
    const auto path = dir.write("passerelle.yaml",
                                "stakeholders: [{id: hs}]\nentities: entities.yaml\nrules: "
                                "rules/*.yaml\n");
    Diagnostics diagnostics;
    auto settings = load_settings(path, diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings);
    const LorawanBinding* device = settings->territory.lorawan.find("70b3d57ed0001234");
    REQUIRE(device != nullptr);
    CHECK(device->codec == "network-server");
    REQUIRE(device->fields.size() == 1);
    CHECK(device->fields[0].pointer.text == "/temperature");
}

}  // namespace
}  // namespace passerelle::config
