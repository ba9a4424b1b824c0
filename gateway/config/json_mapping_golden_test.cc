// SPDX-License-Identifier: Apache-2.0
// Golden vectors of the JSON mappings: each tests/data/json/<name>.yaml states a mapping as a
// configuration writes it (a `connectors: json:` entry, or a LoRaWAN device's `lorawan:` block),
// the topic and the reception time; <name>.json is the message and <name>.expected.json what the
// gateway makes of it (reports and errors). Provenance is in that folder's README.md.
// PASSERELLE_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.
#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connectors/json/message_adapter.h"
#include "connectors/lorawan/device_adapter.h"
#include "gateway/config/config_test_support.h"
#include "gateway/config/json_mapping_loader.h"
#include "gateway/config/lorawan_loader.h"
#include "gateway/core/senml.h"
#include "rules/config/yaml_source.h"
#include "tests/support/golden_files.h"

namespace passerelle::config {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The registry every vector is read against.
Territory territory() {
    Territory territory;
    for (const char* id : {"hs-a-101", "hs-a-102", "hs-b-201"}) {
        Entity entity;
        entity.id = id;
        entity.type = "dwelling";
        entity.provider = "habitat-sud";
        REQUIRE(territory.entities.add(std::move(entity)));
    }
    return territory;
}

json reading_json(const Reading& reading) {
    json out{
        {"quantity", reading.quantity}, {"unit", reading.unit}, {"t", format_utc(reading.time)}};
    put_senml_value(out, reading.value);
    return out;
}

json outcome_json(const std::vector<DeviceReport>& reports, const std::vector<Error>& errors) {
    json out{{"reports", json::array()}, {"errors", json::array()}};
    for (const DeviceReport& report : reports) {
        json readings = json::array();
        for (const Reading& reading : report.readings) {
            readings.push_back(reading_json(reading));
        }
        out["reports"].push_back({{"entity", report.entity},
                                  {"provider", report.provider},
                                  {"protocol", report.protocol},
                                  {"time", format_utc(report.time)},
                                  {"readings", readings}});
    }
    for (const Error& error : errors) {
        out["errors"].push_back({{"code", error.code}, {"message", error.message}});
    }
    return out;
}

json run_vector(const fs::path& path) {
    Diagnostics diagnostics;
    auto node = rules::load_yaml_file(path.string(), diagnostics);
    REQUIRE(node);
    const std::string topic = (*node)["topic"].as<std::string>();
    const auto received = parse_utc((*node)["received"].as<std::string>());
    REQUIRE(received);
    fs::path message_path = path;
    message_path.replace_extension(".json");
    const std::string payload = testing::read_text_file(message_path);
    Territory registry = territory();
    if (const YAML::Node lorawan = (*node)["lorawan"]) {
        read_lorawan_device(lorawan, path.string(), (*node)["entity"].as<std::string>(), {},
                            registry.lorawan, diagnostics);
        INFO(testing::errors(diagnostics));
        REQUIRE_FALSE(diagnostics.has_errors());
        connectors::lorawan::DeviceAdapter adapter(registry);
        auto adapted = adapter.adapt(topic, payload, *received);
        if (!adapted) {
            return outcome_json({}, {adapted.error()});
        }
        REQUIRE(adapted->has_value());
        return outcome_json({**adapted}, {});
    }
    auto mapping = read_json_mapping((*node)["mapping"], path.string(), diagnostics);
    INFO(testing::errors(diagnostics));
    REQUIRE(mapping);
    const auto mapped =
        connectors::json::adapt_message(*mapping, registry, topic, payload, *received);
    return outcome_json(mapped.reports, mapped.errors);
}

TEST_CASE("every JSON mapping golden vector gives its expected readings and errors",
          "[json_mapping][golden]") {
    const fs::path directory = fs::path(PASSERELLE_SOURCE_DIR) / "tests" / "data" / "json";
    const auto vectors = testing::files_with_extension(directory, ".yaml");
    CHECK(vectors.size() >= 5);
    for (const fs::path& path : vectors) {
        INFO(path.filename().string());
        testing::check_expected_json(path, run_vector(path));
    }
}

}  // namespace
}  // namespace passerelle::config
