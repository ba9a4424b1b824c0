// SPDX-License-Identifier: Apache-2.0
// The value is laid out big-endian first, then reordered: swapping words and swapping bytes are
// their own inverses, so the decoder's reordering is undone by applying it again.
#include "connectors/modbus/register_encoder.h"

#include <bit>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace passerelle::connectors::modbus {

namespace {

std::vector<std::uint16_t> reorder(ByteOrder order, std::uint64_t bits, std::size_t width) {
    const bool swap_words = order == ByteOrder::CDAB || order == ByteOrder::DCBA;
    const bool swap_bytes = order == ByteOrder::BADC || order == ByteOrder::DCBA;
    std::vector<std::uint16_t> words(width);
    for (std::size_t i = 0; i < width; ++i) {
        // Word i of the big-endian layout, most significant first.
        auto word = static_cast<std::uint16_t>(bits >> (16U * (width - 1 - i)));
        if (swap_bytes) {
            word = static_cast<std::uint16_t>((word << 8U) | (word >> 8U));
        }
        words[swap_words ? width - 1 - i : i] = word;
    }
    return words;
}

/// Whether the rounded `raw` fits the integer type T.
template <typename T>
bool fits(double raw) {
    // The bounds as doubles: 2^63 is exact, its predecessor int64 max is not, hence `<` above.
    return raw >= static_cast<double>(std::numeric_limits<T>::min()) &&
           raw < static_cast<double>(std::numeric_limits<T>::max()) + 1.0;
}

Error out_of_range(const Point& point, double raw) {
    return make_error("modbus.out-of-range", fmt::format("'{}': raw value {} does not fit a {}",
                                                         point.name, raw, type_name(point.type)));
}

}  // namespace

Result<std::vector<std::uint16_t>> encode_raw(const Point& point, double raw) {
    const std::size_t width = width_of(point.type);
    if (point.type == DataType::Float32) {
        if (std::isfinite(raw) && std::abs(raw) > std::numeric_limits<float>::max()) {
            return out_of_range(point, raw);
        }
        return reorder(point.order, std::bit_cast<std::uint32_t>(static_cast<float>(raw)), width);
    }
    if (point.type == DataType::Float64) {
        return reorder(point.order, std::bit_cast<std::uint64_t>(raw), width);
    }
    if (point.type == DataType::Bool) {
        return std::vector<std::uint16_t>{static_cast<std::uint16_t>(raw != 0.0 ? 1 : 0)};
    }
    const double rounded = std::round(raw);
    bool ok = std::isfinite(rounded);
    switch (point.type) {
        case DataType::Int16:
            ok = ok && fits<std::int16_t>(rounded);
            break;
        case DataType::Uint16:
            ok = ok && fits<std::uint16_t>(rounded);
            break;
        case DataType::Int32:
            ok = ok && fits<std::int32_t>(rounded);
            break;
        case DataType::Uint32:
            ok = ok && fits<std::uint32_t>(rounded);
            break;
        default:
            ok = ok && fits<std::int64_t>(rounded);
            break;
    }
    if (!ok) {
        return out_of_range(point, raw);
    }
    // Two's complement: the signed value's low bits are the registers' bits.
    const auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(rounded));
    return reorder(point.order, bits, width);
}

Result<std::vector<std::uint16_t>> encode_point(const Point& point, const Value& value) {
    if (point.type == DataType::Bool) {
        if (const auto* bit = std::get_if<bool>(&value)) {
            return std::vector<std::uint16_t>{static_cast<std::uint16_t>(*bit ? 1 : 0)};
        }
        return make_error("modbus.value-type",
                          fmt::format("'{}' is a bit: it holds true or false, not {}", point.name,
                                      format_value(value)));
    }
    const auto* number = std::get_if<double>(&value);
    if (number == nullptr) {
        return make_error("modbus.value-type",
                          fmt::format("'{}' is a {}: it holds a number, not {}", point.name,
                                      type_name(point.type), format_value(value)));
    }
    return encode_raw(point, (*number - point.offset) / point.scale);
}

}  // namespace passerelle::connectors::modbus
