// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/payload_text.h"

#include <cstddef>
#include <optional>

#include <fmt/format.h>

namespace passerelle::connectors::lorawan {
namespace {

std::optional<std::uint8_t> hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return static_cast<std::uint8_t>(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return static_cast<std::uint8_t>(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return static_cast<std::uint8_t>(c - 'A' + 10);
    }
    return std::nullopt;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

Result<std::vector<std::uint8_t>> parse_payload_hex(std::string_view text) {
    std::vector<std::uint8_t> bytes;
    std::size_t digits = 0;
    std::uint8_t high = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_space(c)) {
            continue;
        }
        const auto digit = hex_digit(c);
        if (!digit) {
            const bool printable = c >= 0x20 && c < 0x7F;
            return make_error("lorawan.bad-hex",
                              printable
                                  ? fmt::format("'{}' at character {} is not a hex digit", c, i + 1)
                                  : fmt::format("byte 0x{:02X} at character {} is not a "
                                                "hex digit",
                                                static_cast<unsigned char>(c), i + 1));
        }
        if (digits % 2 == 0) {
            high = *digit;
        } else {
            bytes.push_back(static_cast<std::uint8_t>((high << 4U) | *digit));
        }
        ++digits;
    }
    if (digits % 2 != 0) {
        return make_error(
            "lorawan.bad-hex",
            fmt::format("odd number of hex digits ({}): the last byte is incomplete", digits));
    }
    return bytes;
}

}  // namespace passerelle::connectors::lorawan
