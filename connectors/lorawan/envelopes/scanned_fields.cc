// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/scanned_fields.h"

#include <algorithm>
#include <cmath>

#include "connectors/lorawan/envelopes/base64.h"
#include "gateway/core/rfc3339.h"

namespace passerelle::connectors::lorawan::detail {
namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::uint64_t unsigned_from_text(const std::string& text, std::uint64_t max) {
    if (text.empty() || text.size() > 20) {
        decline();
    }
    std::uint64_t number = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            decline();
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (number > (max - digit) / 10) {
            decline();
        }
        number = number * 10 + digit;
    }
    return number;
}

}  // namespace

void decline() {
    throw Decline{};
}

JsonToken take(JsonScanner& scanner) {
    JsonToken token;
    if (!scanner.value(token)) {
        decline();
    }
    return token;
}

void capture(JsonScanner& scanner, JsonToken& slot) {
    if (slot.kind != JsonKind::Absent) {
        decline();
    }
    slot = take(scanner);
}

std::optional<std::string> scanned_text(const JsonToken& token) {
    if (!present(token)) {
        return std::nullopt;
    }
    if (token.kind != JsonKind::String) {
        decline();
    }
    return unescape(token);
}

std::optional<std::uint64_t> scanned_unsigned(const JsonToken& token, std::uint64_t max) {
    if (!present(token)) {
        return std::nullopt;
    }
    std::uint64_t number = 0;
    if (token.kind == JsonKind::String) {
        number = unsigned_from_text(unescape(token), max);
    } else if (token.kind == JsonKind::Number) {
        const std::optional<JsonNumber> value = parse_json_number(token.text);
        if (!value || value->type == JsonNumber::Type::Signed) {
            decline();
        }
        if (value->type == JsonNumber::Type::Unsigned) {
            number = value->unsigned_value;
        } else {
            const double real = value->float_value;
            if (!(real >= 0.0 && real < 9.2e18 && real <= static_cast<double>(max) &&
                  std::floor(real) == real)) {
                decline();
            }
            number = static_cast<std::uint64_t>(real);
        }
    } else {
        decline();
    }
    if (number > max) {
        decline();
    }
    return number;
}

std::optional<double> scanned_number(const JsonToken& token) {
    if (!present(token)) {
        return std::nullopt;
    }
    if (token.kind != JsonKind::Number) {
        decline();
    }
    const std::optional<JsonNumber> value = parse_json_number(token.text);
    if (!value) {
        decline();
    }
    return value->as_double();
}

std::optional<Timestamp> scanned_time(const JsonToken& token) {
    const std::optional<std::string> text = scanned_text(token);
    if (!text) {
        return std::nullopt;
    }
    const std::optional<Timestamp> time = parse_rfc3339(*text);
    if (!time) {
        decline();
    }
    return time;
}

std::optional<std::string> scanned_hex(const JsonToken& token, std::size_t digits) {
    std::optional<std::string> text = scanned_text(token);
    if (!text) {
        return std::nullopt;
    }
    if (text->size() != digits || !std::all_of(text->begin(), text->end(), is_hex)) {
        decline();
    }
    std::transform(text->begin(), text->end(), text->begin(), [](char c) {
        return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text;
}

std::vector<std::uint8_t> scanned_base64(const JsonToken& token) {
    if (!present(token)) {
        return {};
    }
    if (token.kind != JsonKind::String) {
        decline();
    }
    // The field's name only words errors, which the DOM reader gives.
    auto bytes = token.escaped ? decode_base64(unescape(token), "") : decode_base64(token.text, "");
    if (!bytes) {
        decline();
    }
    return std::move(*bytes);
}

std::optional<nlohmann::json> scanned_document(const JsonToken& token) {
    if (!present(token)) {
        return std::nullopt;
    }
    if (token.kind == JsonKind::String) {  // the token holds the string without its quotes
        return nlohmann::json(unescape(token));
    }
    return nlohmann::json::parse(token.text);  // validated by the scanner: does not throw
}

}  // namespace passerelle::connectors::lorawan::detail
