// SPDX-License-Identifier: Apache-2.0
// A Modbus register map: which table, address, type and word order each point has, and how a raw
// value becomes a reading (scale, offset, unit). Decoding is pure: registers in, value out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/reading.h"

namespace passerelle::connectors::modbus {

/// The four Modbus data tables; coils and discrete inputs hold bits, the others 16-bit registers.
enum class Table : std::uint8_t { Holding, Input, Coil, Discrete };

enum class DataType : std::uint8_t { Int16, Uint16, Int32, Uint32, Int64, Float32, Float64, Bool };

/// Byte order of a value, written as the bytes A (most significant) .. D of a 32-bit value as they
/// arrive on the wire: ABCD is big-endian words and bytes, CDAB swaps the words (HiveMQ's
/// flipRegisters), BADC swaps the bytes in each word, DCBA is fully little-endian. 16- and 64-bit
/// values follow the same rule (word swap reverses all words, byte swap applies to each word).
enum class ByteOrder : std::uint8_t { ABCD, CDAB, BADC, DCBA };

struct Point {
    std::string name;  // the quantity of the readings it yields
    Table table = Table::Holding;
    std::uint16_t address = 0;  // 0-based PDU address, whatever base the map file used
    DataType type = DataType::Uint16;
    ByteOrder order = ByteOrder::ABCD;
    double scale = 1.0;   // value = raw * scale + offset
    double offset = 0.0;  // ignored for bits
    std::string unit;     // SenML symbol ("Cel", "W", "kWh"), empty if dimensionless
    /// A raw value (before scaling) that means "no value": 32767 or -32768 for a failed sensor
    /// on many controllers, 999999 on some heat meters.
    std::optional<double> no_value;
};

struct RegisterMap {
    std::vector<Point> points;
};

bool is_bit_table(Table table);
/// Registers (or bits, for Bool) a value of this type occupies.
std::size_t width_of(DataType type);

std::string_view table_name(Table table);      // "holding", "input", "coil", "discrete"
std::string_view type_name(DataType type);     // "int16" ... "bool"
std::string_view order_name(ByteOrder order);  // "ABCD" ...
std::optional<Table> parse_table(std::string_view text);
/// Case-insensitive: "INT16" and "int16" alike.
std::optional<DataType> parse_type(std::string_view text);
std::optional<ByteOrder> parse_order(std::string_view text);

/// The value of `point` from its registers as read (registers[0] at point.address); for a bit
/// table, one element that is zero or not. Numbers are scaled; Bool yields a bool.
/// Precondition: registers.size() == width_of(point.type).
Value decode_point(const Point& point, std::span<const std::uint16_t> registers);

/// Whether the registers hold the point's `no_value` sentinel. Same precondition.
bool is_no_value(const Point& point, std::span<const std::uint16_t> registers);

}  // namespace passerelle::connectors::modbus
