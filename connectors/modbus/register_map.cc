// SPDX-License-Identifier: Apache-2.0
// Word and byte orders are undone by reordering into big-endian bytes, then reading the type.
#include "connectors/modbus/register_map.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>

#include "gateway/core/assert.h"

namespace passerelle::connectors::modbus {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// The value's bytes, most significant first, whatever order they came in.
std::uint64_t big_endian_bits(ByteOrder order, std::span<const std::uint16_t> registers) {
    const bool swap_words = order == ByteOrder::CDAB || order == ByteOrder::DCBA;
    const bool swap_bytes = order == ByteOrder::BADC || order == ByteOrder::DCBA;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < registers.size(); ++i) {
        std::uint16_t word = registers[swap_words ? registers.size() - 1 - i : i];
        if (swap_bytes) {
            word = static_cast<std::uint16_t>((word << 8) | (word >> 8));
        }
        bits = (bits << 16) | word;
    }
    return bits;
}

/// The double that prints as the float does: 74.6f widened is 74.59999847412109, which the
/// device never meant.
double shortest(float value) {
    std::array<char, 32> text{};
    const auto printed = std::to_chars(text.data(), text.data() + text.size(), value);
    double widened = static_cast<double>(value);
    std::from_chars(text.data(), printed.ptr, widened);
    return widened;
}

/// `value` to 15 significant digits, beyond any register's precision: a register holding 746
/// with scale 0.1 gives 74.60000000000001 in binary floating point, and 74.6 after this.
double tidy(double value) {
    std::array<char, 32> text{};
    const auto printed = std::to_chars(text.data(), text.data() + text.size(), value,
                                       std::chars_format::general, 15);
    double rounded = value;
    std::from_chars(text.data(), printed.ptr, rounded);
    return rounded;
}

double raw_number(DataType type, std::uint64_t bits) {
    switch (type) {
        case DataType::Int16:
            return static_cast<double>(static_cast<std::int16_t>(bits));
        case DataType::Uint16:
            return static_cast<double>(static_cast<std::uint16_t>(bits));
        case DataType::Int32:
            return static_cast<double>(static_cast<std::int32_t>(bits));
        case DataType::Uint32:
            return static_cast<double>(static_cast<std::uint32_t>(bits));
        case DataType::Int64:
            return static_cast<double>(static_cast<std::int64_t>(bits));
        case DataType::Float32:
            return shortest(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
        case DataType::Float64:
            return std::bit_cast<double>(bits);
        case DataType::Bool:
            return bits != 0 ? 1.0 : 0.0;
    }
    return 0.0;
}

constexpr std::array kTables{Table::Holding, Table::Input, Table::Coil, Table::Discrete};
constexpr std::array kTypes{DataType::Int16, DataType::Uint16,  DataType::Int32,   DataType::Uint32,
                            DataType::Int64, DataType::Float32, DataType::Float64, DataType::Bool};
constexpr std::array kOrders{ByteOrder::ABCD, ByteOrder::CDAB, ByteOrder::BADC, ByteOrder::DCBA};

}  // namespace

bool is_bit_table(Table table) {
    return table == Table::Coil || table == Table::Discrete;
}

std::size_t width_of(DataType type) {
    switch (type) {
        case DataType::Int16:
        case DataType::Uint16:
        case DataType::Bool:
            return 1;
        case DataType::Int32:
        case DataType::Uint32:
        case DataType::Float32:
            return 2;
        case DataType::Int64:
        case DataType::Float64:
            return 4;
    }
    return 1;
}

std::string_view table_name(Table table) {
    switch (table) {
        case Table::Holding:
            return "holding";
        case Table::Input:
            return "input";
        case Table::Coil:
            return "coil";
        case Table::Discrete:
            return "discrete";
    }
    return "?";
}

std::string_view type_name(DataType type) {
    switch (type) {
        case DataType::Int16:
            return "int16";
        case DataType::Uint16:
            return "uint16";
        case DataType::Int32:
            return "int32";
        case DataType::Uint32:
            return "uint32";
        case DataType::Int64:
            return "int64";
        case DataType::Float32:
            return "float32";
        case DataType::Float64:
            return "float64";
        case DataType::Bool:
            return "bool";
    }
    return "?";
}

std::string_view order_name(ByteOrder order) {
    switch (order) {
        case ByteOrder::ABCD:
            return "ABCD";
        case ByteOrder::CDAB:
            return "CDAB";
        case ByteOrder::BADC:
            return "BADC";
        case ByteOrder::DCBA:
            return "DCBA";
    }
    return "?";
}

std::optional<Table> parse_table(std::string_view text) {
    for (Table table : kTables) {
        if (equals_ignoring_case(text, table_name(table))) {
            return table;
        }
    }
    return std::nullopt;
}

std::optional<DataType> parse_type(std::string_view text) {
    for (DataType type : kTypes) {
        if (equals_ignoring_case(text, type_name(type))) {
            return type;
        }
    }
    return std::nullopt;
}

std::optional<ByteOrder> parse_order(std::string_view text) {
    for (ByteOrder order : kOrders) {
        if (equals_ignoring_case(text, order_name(order))) {
            return order;
        }
    }
    return std::nullopt;
}

Value decode_point(const Point& point, std::span<const std::uint16_t> registers) {
    PASSERELLE_ASSERT(registers.size() == width_of(point.type), "decode_point: wrong width");
    if (point.type == DataType::Bool) {
        return registers[0] != 0;
    }
    const double raw = raw_number(point.type, big_endian_bits(point.order, registers));
    if (point.scale == 1.0 && point.offset == 0.0) {
        return raw;  // integers beyond 15 digits stay as they are
    }
    return tidy(raw * point.scale + point.offset);
}

bool is_no_value(const Point& point, std::span<const std::uint16_t> registers) {
    PASSERELLE_ASSERT(registers.size() == width_of(point.type), "is_no_value: wrong width");
    return point.no_value && point.type != DataType::Bool &&
           raw_number(point.type, big_endian_bits(point.order, registers)) == *point.no_value;
}

}  // namespace passerelle::connectors::modbus
