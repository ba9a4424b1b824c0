// SPDX-License-Identifier: Apache-2.0
// Helpers for the codecs' unit tests: decode hex through the registry, find a reading by name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <catch2/catch.hpp>

#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/codecs/payload_text.h"

namespace passerelle::connectors::lorawan::testing {

inline Result<DecodedPayload> decode_hex(std::string_view codec, std::string_view hex,
                                         std::optional<int> f_port = std::nullopt) {
    const PayloadCodec* found = find_codec(codec);
    REQUIRE(found != nullptr);
    auto bytes = parse_payload_hex(hex);
    REQUIRE(bytes);
    return decode_payload(*found, PayloadInput{*bytes, f_port});
}

inline DecodedPayload decoded(std::string_view codec, std::string_view hex,
                              std::optional<int> f_port = std::nullopt) {
    auto payload = decode_hex(codec, hex, f_port);
    INFO(hex << ": " << (payload ? "" : payload.error().message));
    REQUIRE(payload);
    return *payload;
}

inline Error error_of(std::string_view codec, std::string_view hex,
                      std::optional<int> f_port = std::nullopt) {
    auto payload = decode_hex(codec, hex, f_port);
    REQUIRE_FALSE(payload);
    return payload.error();
}

/// The reading called `quantity`; fails the test when there is none.
inline const CodecReading& reading(const DecodedPayload& payload, std::string_view quantity) {
    for (const CodecReading& candidate : payload.readings) {
        if (candidate.quantity == quantity) {
            return candidate;
        }
    }
    FAIL("no reading " << quantity);
    return payload.readings.front();  // not reached
}

inline double number(const DecodedPayload& payload, std::string_view quantity) {
    return std::get<double>(reading(payload, quantity).value);
}

inline std::string unit(const DecodedPayload& payload, std::string_view quantity) {
    return reading(payload, quantity).unit;
}

}  // namespace passerelle::connectors::lorawan::testing
