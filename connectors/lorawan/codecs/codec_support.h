// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the codecs: adding a reading, and the errors every codec words alike.
#pragma once

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
