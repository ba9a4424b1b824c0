// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the codecs: fixed-size types, adding a reading, and the errors every
// codec words alike.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Standard gravity: accelerometers count in g, SenML has m/s2.
inline constexpr double kStandardGravity = 9.80665;
/// A fixed-size numeric type of a tag-value format (LPP, Elsys): its code, its size in bytes,
/// and the scaling to its SenML unit (value = raw * multiply / divide).
struct ScalarType {
    std::uint8_t type;
    std::string_view label;  // for messages, as the format's document names it
    std::size_t size;
    bool is_signed;
    double multiply;
    double divide;
    std::string_view quantity;
    std::string_view unit;
};

/// The entry of `types` for `type`, or nullptr.
template <std::size_t N>
const ScalarType* find_scalar(const std::array<ScalarType, N>& types, std::uint8_t type) {
    for (const ScalarType& scalar : types) {
        if (scalar.type == type) {
            return &scalar;
        }
    }
    return nullptr;
}

inline void add_reading(DecodedPayload& payload, std::string_view quantity, double value,
                        std::string_view unit, std::optional<int> channel = std::nullopt) {
    payload.readings.push_back(
        CodecReading{std::string(quantity), value, std::string(unit), channel});
}

/// "0x7F"
inline std::string hex_byte(std::uint8_t byte) {
    return fmt::format("0x{:02X}", byte);
}

/// <codec>.truncated: "truncated TLV at byte 4: type 0x01 (temperature) needs 2 bytes, 1 left".
/// `record` names the record's kind and `what` its identity, both as the format's documents do.
inline Error truncated_error(std::string_view codec, std::string_view record, std::size_t at,
                             std::string_view what, std::size_t needs, std::size_t left) {
    return make_error(fmt::format("{}.truncated", codec),
                      fmt::format("truncated {} at byte {}: {} needs {} byte{}, {} left", record,
                                  at, what, needs, needs == 1 ? "" : "s", left));
}

/// <codec>.empty: a frame without a byte has no reading; the device or the port is wrong.
inline Error empty_error(std::string_view codec) {
    return make_error(fmt::format("{}.empty", codec), "empty payload: no record to decode");
}

}  // namespace passerelle::connectors::lorawan
