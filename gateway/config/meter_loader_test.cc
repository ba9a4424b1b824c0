// SPDX-License-Identifier: Apache-2.0
// Meters in the registry and the connectors section, read through load_settings.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"
#include "gateway/config/settings_loader.h"

namespace passerelle::config {
namespace {

using testing::errors;
using testing::TempDir;

constexpr const char* kConfig =
    "stakeholders: [{id: eau}]\nentities: entities.yaml\nrules: rules/*.yaml\n";

std::string load_errors(const TempDir& dir, const std::string& config) {
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    Diagnostics diagnostics;
    CHECK_FALSE(load_settings(dir.write("passerelle.yaml", config), diagnostics).has_value());
    return errors(diagnostics);
}

TEST_CASE(
    "meters are bound to their entity with their key from the file, the environment or a "
    "key file",
    "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    dir.write("keys/c.key", "28F64A24988064A079AA2C807D6102AE\n");
    ::setenv("PASSERELLE_TEST_METER_KEY", "5065747220486F6C79737A6577736B69", 1);
    dir.write("entities.yaml",
              "entities:\n"
              "  - {id: a, provider: eau, meter: {id: '0012ab34', manufacturer: kam,"
              " key: 28F64A24988064A079AA2C807D6102AE}}\n"
              "  - {id: b, provider: eau, meter: {id: \"77777777\", key_env: "
              "PASSERELLE_TEST_METER_KEY}}\n"
              "  - {id: c, provider: eau, meter: {id: 76348799, key_file: keys/c.key}}\n"
              "  - {id: d, provider: eau, meter: {id: 11111111}}\n");
    Diagnostics diagnostics;
    auto settings = load_settings(dir.write("passerelle.yaml", kConfig), diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    const MeterDirectory& meters = settings->territory.meters;
    REQUIRE(meters.all().size() == 4);
    const MeterBinding* a = meters.find("0012AB34", "KAM");
    REQUIRE(a != nullptr);
    CHECK(a->entity == "a");
    CHECK(a->key_hex == "28F64A24988064A079AA2C807D6102AE");
    CHECK(meters.find("77777777", "SON")->key_hex == "5065747220486F6C79737A6577736B69");
    CHECK(meters.find("76348799", "KAM")->entity == "c");
    CHECK(meters.find("11111111", "")->key_hex.empty());
    CHECK(errors(diagnostics)
              .find("entities.yaml:2:76: warning[config.inline-key]: a key written "
                    "in the registry goes wherever the file goes") != std::string::npos);
}

TEST_CASE("meter mistakes name the file, line and column", "[settings]") {
    TempDir dir;
    ::unsetenv("PASSERELLE_TEST_NO_SUCH_KEY");
    dir.write("entities.yaml",
              "entities:\n"
              "  - {id: a, provider: eau, meter: {id: 1234}}\n"
              "  - {id: b, provider: eau, meter: {id: '12345678', manufacturer: KAMS}}\n"
              "  - {id: c, provider: eau, meter: {id: '22222222', key: 0011secret}}\n"
              "  - {id: d, provider: eau, meter: {id: '33333333', key_env: "
              "PASSERELLE_TEST_NO_SUCH_KEY}}\n"
              "  - {id: e, provider: eau, meter: {id: '44444444', key: 00, key_env: X}}\n"
              "  - {id: f, provider: eau, meter: {id: '55555555'}}\n"
              "  - {id: g, provider: eau, meter: {id: '55555555', manufacturer: SEN}}\n"
              "  - {id: h, provider: eau, meter: {id: '66666666', kee: 00}}\n");
    const std::string text = load_errors(dir, kConfig);
    CHECK(text.find("entities.yaml:2:40: error[config.bad-meter-id]: meter id '1234' must be the "
                    "8 digits telegrams carry") != std::string::npos);
    CHECK(text.find("entities.yaml:3:66: error[config.bad-manufacturer]: manufacturer 'KAMS' "
                    "must be the three-letter code") != std::string::npos);
    CHECK(text.find("error[config.bad-meter-key]: meter 22222222: a key has only hex digits\n") !=
          std::string::npos);
    CHECK(text.find("error[config.missing-secret]: the environment variable "
                    "'PASSERELLE_TEST_NO_SUCH_KEY' holding the meter's key is not set") !=
          std::string::npos);
    CHECK(text.find("error[config.meter-key]: give a meter's key one way only") !=
          std::string::npos);
    CHECK(text.find("entities.yaml:8:40: error[config.duplicate-meter]: meter 55555555 is "
                    "declared for two entities") != std::string::npos);
    CHECK(text.find("unknown key 'kee' in a meter; did you mean 'key'?") != std::string::npos);
}

TEST_CASE("connectors subscribe to raw topics, never to canonical ones", "[settings]") {
    TempDir dir;
    dir.write("entities.yaml", "entities: []\n");
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    Diagnostics diagnostics;
    auto settings = load_settings(
        dir.write("passerelle.yaml",
                  std::string(kConfig) +
                      "connectors:\n  wmbus: {topics: [wmbus/+/telegram], format_b: true}\n"
                      "  wmbusmeters: {topics: ['wmbusmeters/+']}\n"),
        diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    REQUIRE(settings->connectors.wmbus.has_value());
    CHECK(settings->connectors.wmbus->format_b);
    CHECK(settings->connectors.topics() ==
          std::vector<std::string>{"wmbus/+/telegram", "wmbusmeters/+"});

    const std::string text = load_errors(
        dir, std::string(kConfig) +
                 "connectors:\n  wmbus: {topics: ['#', 'radio/a#'], format_b: peut-etre}\n"
                 "  wmbusmeters: {}\n  lora: {}\n");
    CHECK(
        text.find("passerelle.yaml:5:20: error[config.bad-topics]: '#' reaches canonical topics") !=
        std::string::npos);
    CHECK(text.find("error[config.bad-topics]: ") != std::string::npos);
    CHECK(text.find("error[config.bad-format-b]: 'format_b' must be true or false") !=
          std::string::npos);
    CHECK(text.find("error[config.no-topics]: connector 'wmbusmeters' needs 'topics'") !=
          std::string::npos);
    CHECK(text.find("unknown key 'lora' in a connectors section") != std::string::npos);
}

TEST_CASE("LoRaWAN devices are bound to their entity with a known codec", "[settings]") {
    TempDir dir;
    dir.write("entities.yaml",
              "entities:\n"
              "  - {id: a, provider: eau, lorawan: {dev_eui: A84041000181C061, codec: elsys}}\n"
              "  - {id: b, provider: eau, lorawan: {dev_eui: a84041000181c061, codec: lpp}}\n"
              "  - {id: c, provider: eau, lorawan: {dev_eui: a840410001, codec: lpp}}\n"
              "  - {id: d, provider: eau, lorawan: {dev_eui: 0011223344556677, codec: elsis}}\n"
              "  - {id: e, provider: eau, lorawan: {dev_eui: 0011223344556688}}\n");
    const std::string text = load_errors(dir, kConfig);
    CHECK(text.find("entities.yaml:3:47: error[config.duplicate-device]: LoRaWAN device "
                    "a84041000181c061 is declared for two entities") != std::string::npos);
    CHECK(text.find("entities.yaml:4:47: error[config.bad-dev-eui]: dev_eui 'a840410001' must be "
                    "the device's 16 hex digits") != std::string::npos);
    CHECK(text.find("error[config.unknown-codec]: unknown codec 'elsis'; did you mean 'elsys'?") !=
          std::string::npos);
    CHECK(text.find("lorawan device needs 'codec'") != std::string::npos);

    TempDir good;
    good.write("rules/a.yaml", "version: 1\nrules: []\n");
    good.write("entities.yaml",
               "entities:\n"
               "  - {id: a, provider: eau, lorawan: {dev_eui: A84041000181C061, codec: elsys}}\n");
    Diagnostics diagnostics;
    auto settings = load_settings(
        good.write("passerelle.yaml",
                   std::string(kConfig) +
                       "connectors:\n  lorawan: {topics: ['application/+/device/+/event/up']}\n"),
        diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    REQUIRE(settings->territory.lorawan.find("a84041000181c061") != nullptr);
    CHECK(settings->territory.lorawan.find("a84041000181c061")->codec == "elsys");
    CHECK(settings->connectors.topics() ==
          std::vector<std::string>{"application/+/device/+/event/up"});
}

TEST_CASE("Modbus device files are read, and each device must be a registry entity", "[settings]") {
    TempDir dir;
    dir.write("entities.yaml", "entities: [{id: sst-sud, provider: eau}]\n");
    dir.write(
        "modbus/sst-nord.yaml",
        "device: sst-nord\ntransport: {type: tcp, host: 127.0.0.1, port: 1502, unit_id: 1}\n"
        "address_base: 0\nregisters:\n"
        "  - {name: supply_temperature, register: input, address: 2, type: int16, scale: 0.1, "
        "unit: Cel}\n");
    const std::string text = load_errors(
        dir, std::string(kConfig) +
                 "connectors:\n  modbus: {devices: [modbus/sst-nord.yaml, modbus/absent.yaml]}\n");
    CHECK(text.find("error[config.no-such-file]: no Modbus device file 'modbus/absent.yaml'") !=
          std::string::npos);
    CHECK(
        text.find("error[config.unknown-entity]: Modbus device 'sst-nord' is not an entity of the "
                  "registry") != std::string::npos);

    dir.write("entities.yaml", "entities: [{id: sst-nord, provider: eau}]\n");
    Diagnostics diagnostics;
    auto settings =
        load_settings(dir.write("passerelle.yaml",
                                std::string(kConfig) +
                                    "connectors:\n  modbus: {devices: [modbus/sst-nord.yaml]}\n"),
                      diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    REQUIRE(settings->connectors.modbus_devices.size() == 1);
    CHECK(settings->connectors.modbus_devices.front().port == 1502);
}

}  // namespace
}  // namespace passerelle::config
