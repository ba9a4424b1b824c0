// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/json_fields.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "gateway/core/json_depth.h"
#include "gateway/core/rfc3339.h"

namespace passerelle::connectors::lorawan::detail {
namespace {

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
// ...": the sentence after the position (which is given as a byte offset instead).
std::string_view sentence_of(std::string_view what) {
    const std::size_t column = what.find(", column ");
    const std::size_t start =
        column == std::string_view::npos ? what.find("] ") : what.find(": ", column);
    if (start == std::string_view::npos) {
        return what;
    }
    what.remove_prefix(std::min(start + 2, what.size()));
    return what;
}

std::string kind_of(const nlohmann::json& value) {
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_array()) {
        return "an array";
    }
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_null()) {
        return "null";
    }
    return value.is_string() ? "a string" : "a number";
}

[[noreturn]] void bad_field(std::string_view path, std::string_view expected,
                            const nlohmann::json& value) {
    fail("lorawan.bad-field",
         fmt::format("'{}' must be {}, got {}", path, expected, describe(value)));
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

void fail(std::string code, std::string message) {
    throw FieldError{make_error(std::move(code), std::move(message))};
}

Result<nlohmann::json> parse_object(std::string_view text) {
    if (!json_nesting_within(text, kMaxEnvelopeDepth)) {
        return make_error("lorawan.bad-json",
                          fmt::format("JSON nested deeper than {} levels", kMaxEnvelopeDepth));
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        return make_error("lorawan.bad-json", fmt::format("malformed JSON at byte {}: {}", e.byte,
                                                          sentence_of(e.what())));
    } catch (const nlohmann::json::exception& e) {  // out_of_range: a number such as 1e400
        return make_error("lorawan.bad-json",
                          fmt::format("malformed JSON: {}", sentence_of(e.what())));
    }
    if (!document.is_object()) {
        return make_error(
            "lorawan.bad-json",
            fmt::format("an envelope is a JSON object, this is {}", kind_of(document)));
    }
    return document;
}

std::string describe(const nlohmann::json& value) {
    if (value.is_object() || value.is_array() || value.is_null()) {
        return kind_of(value);
    }
    std::string shown = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (shown.size() > 40) {
        shown = shown.substr(0, 37) + "...";
    }
    return fmt::format("{} {}", value.is_string() ? "string" : kind_of(value).substr(2), shown);
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

const nlohmann::json* object_member(const nlohmann::json& object, std::string_view key,
                                    std::string_view path) {
    const nlohmann::json* value = member(object, key);
    if (value != nullptr && !value->is_object()) {
        bad_field(path, "an object", *value);
    }
    return value;
}

const nlohmann::json* array_member(const nlohmann::json& object, std::string_view key,
                                   std::string_view path) {
    const nlohmann::json* value = member(object, key);
    if (value != nullptr && !value->is_array()) {
        bad_field(path, "an array", *value);
    }
    return value;
}

std::optional<std::string> text_member(const nlohmann::json& object, std::string_view key,
                                       std::string_view path) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        bad_field(path, "a string", *value);
    }
    return value->get<std::string>();
}

std::optional<std::uint64_t> unsigned_member(const nlohmann::json& object, std::string_view key,
                                             std::string_view path, std::uint64_t max) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    const std::string expected = fmt::format("an integer from 0 to {}", max);
    std::uint64_t number = 0;
    if (value->is_number_unsigned()) {
        number = value->get<std::uint64_t>();
    } else if (value->is_number_integer()) {
        bad_field(path, expected, *value);  // signed only when negative
    } else if (value->is_number_float()) {
        const double real = value->get<double>();
        // The 2^63 bound keeps the conversion defined whatever `max` is.
        if (!(real >= 0.0 && real < 9.2e18 && real <= static_cast<double>(max) &&
              std::floor(real) == real)) {
            bad_field(path, expected, *value);
        }
        number = static_cast<std::uint64_t>(real);
    } else if (value->is_string()) {
        const auto& text = value->get_ref<const std::string&>();
        if (text.empty() || text.size() > 20) {
            bad_field(path, expected, *value);
        }
        for (const char c : text) {
            if (c < '0' || c > '9') {
                bad_field(path, expected, *value);
            }
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (number > (max - digit) / 10) {
                bad_field(path, expected, *value);
            }
            number = number * 10 + digit;
        }
    } else {
        bad_field(path, expected, *value);
    }
    if (number > max) {
        bad_field(path, expected, *value);
    }
    return number;
}

std::optional<double> number_member(const nlohmann::json& object, std::string_view key,
                                    std::string_view path) {
    const nlohmann::json* value = member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        bad_field(path, "a number", *value);
    }
    return value->get<double>();
}

std::optional<Timestamp> time_member(const nlohmann::json& object, std::string_view key,
                                     std::string_view path) {
    const std::optional<std::string> text = text_member(object, key, path);
    if (!text) {
        return std::nullopt;
    }
    const std::optional<Timestamp> time = parse_rfc3339(*text);
    if (!time) {
        bad_field(path, "an RFC 3339 time in years 1970-9999", *member(object, key));
    }
    return time;
}

std::optional<std::string> hex_member(const nlohmann::json& object, std::string_view key,
                                      std::string_view path, std::size_t digits) {
    std::optional<std::string> text = text_member(object, key, path);
    if (!text) {
        return std::nullopt;
    }
    if (text->size() != digits || !std::all_of(text->begin(), text->end(), is_hex)) {
        bad_field(path, fmt::format("{} hexadecimal digits", digits), *member(object, key));
    }
    std::transform(text->begin(), text->end(), text->begin(), [](char c) {
        return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text;
}

}  // namespace passerelle::connectors::lorawan::detail
