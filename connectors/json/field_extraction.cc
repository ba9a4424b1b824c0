// SPDX-License-Identifier: Apache-2.0
#include "connectors/json/field_extraction.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "gateway/core/topic.h"
#include "gateway/core/units.h"

namespace passerelle::connectors::json {
namespace {

using nlohmann::json;

// The pointer's first `count` tokens, escaped again, for messages: "" is shown as "/".
std::string prefix_text(const JsonPointer& pointer, std::size_t count) {
    if (count == 0) {
        return "/";
    }
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        text += '/';
        for (const char c : pointer.tokens[i]) {
            if (c == '~') {
                text += "~0";
            } else if (c == '/') {
                text += "~1";
            } else {
                text += c;
            }
        }
    }
    return text;
}

// RFC 6901 §4: an array index is "0" or digits without a leading zero; "-" (past the end) and
// anything else name no element.
std::optional<std::size_t> array_index(const std::string& token) {
    if (token.empty() || (token.size() > 1 && token.front() == '0')) {
        return std::nullopt;
    }
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (error != std::errc() || end != token.data() + token.size()) {
        return std::nullopt;
    }
    return index;
}

// "21.5", "-3", "1e3": the decimal numbers of JSON's grammar written as a string. No "inf", "nan",
// hexadecimal, '+' or spaces, which std::from_chars alone would partly take.
std::optional<double> decimal_string(const std::string& text) {
    const std::size_t digit = !text.empty() && text.front() == '-' ? 1 : 0;
    if (digit >= text.size() || text[digit] < '0' || text[digit] > '9') {
        return std::nullopt;
    }
    double number = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return number;
}

Error missing(const JsonPointer& pointer, const std::string& why) {
    return make_error("json.missing-field", fmt::format("no '{}': {}", pointer.text, why));
}

}  // namespace

std::string_view json_kind(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::null:
            return "null";
        default:
            return "a number";
    }
}

const json* find_member(const json& document, const JsonPointer& pointer, std::string& why) {
    const json* at = &document;
    for (std::size_t i = 0; i < pointer.tokens.size(); ++i) {
        const std::string& token = pointer.tokens[i];
        if (at->is_object()) {
            const auto it = at->find(token);
            if (it == at->end()) {
                why = fmt::format("'{}' has no member '{}'", prefix_text(pointer, i), token);
                return nullptr;
            }
            at = &*it;
        } else if (at->is_array()) {
            const auto index = array_index(token);
            if (!index) {
                why = fmt::format("'{}' is an array and '{}' is not an index",
                                  prefix_text(pointer, i), token);
                return nullptr;
            }
            if (*index >= at->size()) {
                why = fmt::format("'{}' has {} elements", prefix_text(pointer, i), at->size());
                return nullptr;
            }
            at = &(*at)[*index];
        } else {
            why = fmt::format("'{}' is {}", prefix_text(pointer, i), json_kind(*at));
            return nullptr;
        }
    }
    return at;
}

Result<std::string> resolve_name(const TextSource& source, std::string_view what,
                                 const json& record,
                                 std::span<const std::string_view> topic_levels) {
    std::string name;
    switch (source.kind) {
        case TextSource::Kind::Constant:
            return source.constant;
        case TextSource::Kind::TopicSegment:
            if (source.segment >= topic_levels.size()) {
                return make_error(
                    "json.missing-field",
                    fmt::format("the topic has no level {} for the {}", source.segment, what));
            }
            name = std::string(topic_levels[source.segment]);
            break;
        case TextSource::Kind::Pointer: {
            std::string why;
            const json* member = find_member(record, source.pointer, why);
            if (member == nullptr) {
                return missing(source.pointer, why);
            }
            if (!member->is_string()) {
                return make_error("json.bad-field",
                                  fmt::format("'{}' must be the {}'s name, a string, got {}",
                                              source.pointer.text, what, json_kind(*member)));
            }
            name = member->get<std::string>();
            break;
        }
    }
    if (!is_identifier(name)) {
        // It becomes a level of telemetry/<provider>/<entity>/<quantity>.
        return make_error("json.bad-name",
                          fmt::format("{} '{}' (from {}) may only hold letters, digits, '-', '_' "
                                      "and '.'",
                                      what, name,
                                      source.kind == TextSource::Kind::Pointer
                                          ? fmt::format("'{}'", source.pointer.text)
                                          : fmt::format("topic level {}", source.segment)));
    }
    return name;
}

Result<std::optional<ExtractedValue>> extract_value(
    const FieldSpec& spec, const json& record, std::span<const std::string_view> topic_levels) {
    using Extracted = std::optional<ExtractedValue>;
    std::string why;
    const json* member = find_member(record, spec.pointer, why);
    if (member == nullptr || member->is_null()) {
        if (spec.optional) {
            return Extracted();
        }
        return member == nullptr ? missing(spec.pointer, why)
                                 : make_error("json.missing-field",
                                              fmt::format("'{}' is null", spec.pointer.text));
    }
    auto quantity = resolve_name(spec.quantity, "quantity", record, topic_levels);
    if (!quantity) {
        return quantity.error();
    }
    ExtractedValue extracted{std::move(*quantity), 0.0, spec.unit};
    if (member->is_boolean()) {
        extracted.value = member->get<bool>();
    } else {
        std::optional<double> number;
        if (member->is_number()) {
            number = member->get<double>();
        } else if (member->is_string()) {
            number = decimal_string(member->get<std::string>());
        }
        if (!number) {
            return make_error(
                "json.bad-field",
                fmt::format("'{}' must be a number, got {}{}", spec.pointer.text,
                            json_kind(*member),
                            member->is_string() || member->is_number() ? " " + member->dump()
                                                                       : std::string()));
        }
        const double scaled = *number * spec.scale + spec.offset;
        if (!std::isfinite(scaled)) {
            return make_error("json.bad-value",
                              fmt::format("'{}' is {}, which scaled gives no finite number",
                                          spec.pointer.text, member->dump()));
        }
        extracted.value = scaled;
    }
    if (spec.unit_pointer) {
        const json* unit = find_member(record, *spec.unit_pointer, why);
        if (unit == nullptr) {
            return missing(*spec.unit_pointer, why);
        }
        if (!unit->is_string()) {
            return make_error("json.bad-field",
                              fmt::format("'{}' must be a unit, a string, got {}",
                                          spec.unit_pointer->text, json_kind(*unit)));
        }
        extracted.unit = unit->get<std::string>();
        if (!is_senml_unit(extracted.unit)) {
            const auto hint = senml_unit_hint(extracted.unit);
            return make_error(
                "json.unknown-unit",
                fmt::format("'{}' is '{}', not a SenML unit{}", spec.unit_pointer->text,
                            extracted.unit,
                            hint ? fmt::format("; the registry writes {}", *hint) : std::string()));
        }
    }
    return Extracted(std::move(extracted));
}

}  // namespace passerelle::connectors::json
