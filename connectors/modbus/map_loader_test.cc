// SPDX-License-Identifier: Apache-2.0
#include "connectors/modbus/map_loader.h"

#include <string>

#include <catch2/catch.hpp>

using namespace passerelle;
using namespace passerelle::connectors::modbus;

namespace {

const char* const kHeader = R"(device: test
transport: {host: 127.0.0.1, port: 1502}
address_base: 0
registers:
)";

/// The one diagnostic a bad map must give, as "line:column code".
std::string only_error(const std::string& registers, const std::string& header = kHeader) {
    Diagnostics diagnostics;
    const auto device = load_device_text(header + registers, "map.yaml", diagnostics);
    CHECK_FALSE(device);
    REQUIRE(diagnostics.error_count() == 1);
    const Diagnostic& d = diagnostics.all().front();
    CHECK(d.span.file == "map.yaml");
    return std::to_string(d.span.line) + ":" + std::to_string(d.span.column) + " " + d.code;
}

}  // namespace

TEST_CASE("the example substation map loads") {
    Diagnostics diagnostics;
    const auto device = load_device_file(
        std::string(PASSERELLE_SOURCE_DIR) + "/examples/territoire/modbus/sst-nord.yaml",
        diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(device);
    CHECK(device->name == "sst-nord");
    CHECK(device->port == 502);
    CHECK(device->interval == std::chrono::seconds(60));
    REQUIRE(device->map.points.size() == 13);
    const Point& energy = device->map.points[6];
    CHECK(energy.name == "heat_energy");
    CHECK(energy.table == Table::Holding);
    CHECK(energy.type == DataType::Uint32);
    CHECK(energy.order == ByteOrder::CDAB);
    CHECK(energy.unit == "kWh");
    CHECK(device->map.points[0].order == ByteOrder::ABCD);
    REQUIRE(device->clock);
    CHECK(device->clock->table == Table::Input);
    CHECK(device->clock->address == 12);
    CHECK(device->clock->type == DataType::Uint32);
}

TEST_CASE("address_base 1 shifts addresses to the wire's") {
    Diagnostics diagnostics;
    const auto device = load_device_text(
        "device: d\ntransport: {host: h}\naddress_base: 1\nbyte_order: cdab\nregisters:\n"
        "  - {name: t, register: holding, address: 1, type: float32}\n",
        "map.yaml", diagnostics);
    REQUIRE(device);
    CHECK(device->map.points[0].address == 0);
    CHECK(device->map.points[0].order == ByteOrder::CDAB);
    CHECK(device->map.points[0].unit.empty());

    CHECK(only_error("  - {name: t, register: holding, address: 0}\n",
                     "device: d\ntransport: {host: h}\naddress_base: 1\nregisters:\n") ==
          "5:43 modbus.bad-address");
}

TEST_CASE("mistakes are reported where they are") {
    CHECK(only_error("  - {name: t, register: input, address: 1, type: int17}\n") ==
          "5:50 modbus.unknown-type");
    CHECK(
        only_error("  - {name: t, register: input, address: 1, type: int32, byte_order: ADCB}\n") ==
        "5:69 modbus.bad-order");
    CHECK(only_error("  - {name: t, register: inputs, address: 1}\n") == "5:25 modbus.bad-table");
    CHECK(only_error("  - {name: t, register: coil, address: 1, type: int16}\n") ==
          "5:49 modbus.type-mismatch");
    CHECK(only_error("  - {name: t, register: input, address: 65535, type: int32}\n") ==
          "5:41 modbus.bad-address");
    CHECK(only_error("  - {name: t, register: input, address: 1, unit: °C}\n") ==
          "5:50 modbus.bad-unit");
    CHECK(only_error("  - {name: t, register: input, address: 1, scale: x}\n") ==
          "5:51 modbus.bad-number");
    CHECK(only_error("  - {name: t, register: input, address: 1, colour: red}\n") ==
          "5:44 yaml.unknown-key");
}

TEST_CASE("overlapping points and duplicate names are caught, other tables may reuse addresses") {
    CHECK(only_error("  - {name: a, register: holding, address: 10, type: float32}\n"
                     "  - {name: b, register: holding, address: 11}\n") == "6:5 modbus.overlap");
    CHECK(only_error("  - {name: a, register: holding, address: 10}\n"
                     "  - {name: a, register: input, address: 10}\n") ==
          "6:5 modbus.duplicate-name");
    Diagnostics diagnostics;
    CHECK(load_device_text(std::string(kHeader) + "  - {name: a, register: holding, address: 10}\n"
                                                  "  - {name: b, register: input, address: 10}\n"
                                                  "  - {name: c, register: coil, address: 10}\n",
                           "map.yaml", diagnostics));
}

TEST_CASE("address_base is required, and 0 or 1") {
    CHECK(only_error("  - {name: t, register: input, address: 1}\n",
                     "device: d\ntransport: {host: h}\nregisters:\n") == "1:1 yaml.missing-key");
    CHECK(only_error("  - {name: t, register: input, address: 1}\n",
                     "device: d\ntransport: {host: h}\naddress_base: 2\nregisters:\n") ==
          "3:15 modbus.bad-base");
}

TEST_CASE(
    "a clock register: uint32 or int64, in the map's base and order, sharing no point's "
    "registers") {
    const std::string point = "  - {name: t, register: input, address: 1}\n";
    Diagnostics diagnostics;
    const auto device = load_device_text(
        "device: d\ntransport: {host: h}\naddress_base: 1\nbyte_order: CDAB\nregisters:\n" + point +
            "clock: {register: holding, address: 5, type: int64}\n",
        "map.yaml", diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(device);
    REQUIRE(device->clock);
    CHECK(device->clock->address == 4);
    CHECK(device->clock->type == DataType::Int64);
    CHECK(device->clock->order == ByteOrder::CDAB);
    CHECK(device->map.points.size() == 1);  // the clock is no reading

    const auto defaulted =
        load_device_text(std::string(kHeader) + point + "clock: {register: input, address: 20}\n",
                         "map.yaml", diagnostics);
    REQUIRE(defaulted);
    CHECK(defaulted->clock->type == DataType::Uint32);

    CHECK(only_error(point + "clock: {register: input, address: 20, type: int16}\n") ==
          "6:8 modbus.bad-clock");
    CHECK(only_error(point + "clock: {register: coil, address: 20}\n") == "6:8 modbus.bad-clock");
    CHECK(only_error(point + "clock: {register: input, address: 0}\n") == "6:8 modbus.overlap");
    CHECK(only_error(point + "clock: {register: input, address: 20, scale: 2}\n") ==
          "6:39 yaml.unknown-key");
}

TEST_CASE("poll_s takes decimals down to a hundredth of a second") {
    Diagnostics diagnostics;
    const auto device = load_device_text(
        "device: d\ntransport: {host: h, poll_s: 0.02}\naddress_base: 0\nregisters:\n"
        "  - {name: t, register: input, address: 1}\n",
        "map.yaml", diagnostics);
    REQUIRE(device);
    CHECK(device->interval == std::chrono::milliseconds(20));
    CHECK(only_error("  - {name: t, register: input, address: 1}\n",
                     "device: d\ntransport: {host: h, poll_s: 0.001}\naddress_base: 0\n"
                     "registers:\n") == "2:30 modbus.bad-number");
}
