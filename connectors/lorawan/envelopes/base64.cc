// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/base64.h"

#include <cstddef>
#include <string>

#include <fmt/format.h>

namespace passerelle::connectors::lorawan {
namespace {

constexpr int kInvalid = -1;

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {  // '-' and '_': the URL-safe alphabet
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return kInvalid;
}

// A character as messages show it: itself when printable ASCII, else its code.
std::string shown(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
        return fmt::format("'{}'", c);
    }
    return fmt::format("0x{:02x}", byte);
}

Error bad_base64(std::string message) {
    return make_error("lorawan.bad-base64", std::move(message));
}

}  // namespace

Result<std::vector<std::uint8_t>> decode_base64(std::string_view text, std::string_view field) {
    std::size_t length = text.size();
    std::size_t padding = 0;
    while (length > 0 && text[length - 1] == '=' && padding < 2) {
        --length;
        ++padding;
    }
    std::vector<std::uint8_t> bytes;
    bytes.reserve(length * 3 / 4);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (std::size_t i = 0; i < length; ++i) {
        const int value = sextet(text[i]);
        if (value == kInvalid) {
            return bad_base64(fmt::format("invalid base64 character {} at position {} of '{}'",
                                          shown(text[i]), i, field));
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            bytes.push_back(static_cast<std::uint8_t>((bits >> bit_count) & 0xffU));
        }
    }
    if (length % 4 == 1) {
        return bad_base64(fmt::format(
            "'{}' has {} base64 characters: a length of 4n+1 cannot be base64", field, length));
    }
    if (padding > 0 && (length + padding) % 4 != 0) {
        return bad_base64(
            fmt::format("'{}' has padding that does not complete a 4-character group", field));
    }
    if (bit_count > 0 && (bits & ((1U << bit_count) - 1U)) != 0) {
        return bad_base64(
            fmt::format("non-zero unused bits in the last base64 character at position {} of '{}'",
                        length - 1, field));
    }
    return bytes;
}

}  // namespace passerelle::connectors::lorawan
