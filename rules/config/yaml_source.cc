// SPDX-License-Identifier: Apache-2.0
#include "rules/config/yaml_source.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "gateway/core/spelling.h"

namespace passerelle::rules {
namespace {

SourceSpan span_from_mark(const YAML::Mark& mark, const std::string& file, int length) {
    if (mark.is_null()) {
        return SourceSpan{file, 0, 0, 1};
    }
    return SourceSpan{file, mark.line + 1, mark.column + 1, std::max(length, 1)};
}

bool is_quoted(const YAML::Node& node) {
    // yaml-cpp tags non-plain (quoted or block) scalars with "!"; plain ones carry "?".
    return node.Tag() == "!";
}

const char* node_kind(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
            return "empty";
        default:
            return "a single value";
    }
}

}  // namespace

std::optional<YAML::Node> load_yaml_text(std::string_view text, const std::string& file,
                                         Diagnostics& diagnostics) {
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        diagnostics.error("yaml.syntax", e.msg, span_from_mark(e.mark, file, 1));
    }
    return std::nullopt;
}

std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diagnostics.error("file.unreadable", "cannot open the file", SourceSpan{path, 0, 0, 1});
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diagnostics) {
    const auto text = read_text_file(path, diagnostics);
    if (!text) {
        return std::nullopt;
    }
    return load_yaml_text(*text, path, diagnostics);
}

SourceSpan span_of(const YAML::Node& node, const std::string& file) {
    int length = 1;
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        const auto newline = text.find('\n');
        length = static_cast<int>(newline == std::string::npos ? text.size() : newline) +
                 (is_quoted(node) ? 2 : 0);
    }
    return span_from_mark(node.Mark(), file, length);
}

SourceSpan span_in_scalar(const YAML::Node& node, const std::string& file, std::size_t offset,
                          std::size_t length) {
    SourceSpan span = span_from_mark(node.Mark(), file, static_cast<int>(length));
    const std::string& text = node.Scalar();
    if (span.line == 0 || text.find('\n') != std::string::npos || offset > text.size()) {
        return span;
    }
    // Escapes in double-quoted scalars shift columns; positions stay close enough to point at the
    // right token, and plain scalars (the common case) are exact.
    span.column += static_cast<int>(offset) + (is_quoted(node) ? 1 : 0);
    return span;
}

MappingReader::MappingReader(const YAML::Node& node, std::string file, std::string what,
                             std::vector<std::string> allowed_keys, Diagnostics& diagnostics)
    : node_(node), file_(std::move(file)), what_(std::move(what)), diagnostics_(diagnostics) {
    if (!node_.IsMap()) {
        diagnostics_.error("yaml.expected-mapping",
                           fmt::format("a {} must be a mapping of keys to values, but this is {}",
                                       what_, node_kind(node_)),
                           span_of(node_, file_));
        valid_ = false;
        return;
    }
    std::set<std::string> seen;
    for (const auto& entry : node_) {
        const YAML::Node& key_node = entry.first;
        if (!key_node.IsScalar()) {
            diagnostics_.error("yaml.bad-key", "keys must be plain names", span_of(key_node, file_));
            valid_ = false;
            continue;
        }
        const std::string& key = key_node.Scalar();
        if (!seen.insert(key).second) {
            diagnostics_.error("yaml.duplicate-key",
                               fmt::format("'{}' is given twice in this {}", key, what_),
                               span_of(key_node, file_));
            valid_ = false;
        }
        if (std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end()) {
            diagnostics_.error("yaml.unknown-key",
                               fmt::format("unknown key '{}' in a {}{}", key, what_,
                                           did_you_mean(key, allowed_keys)),
                               span_of(key_node, file_));
            valid_ = false;
        }
    }
}

bool MappingReader::has(const std::string& key) const {
    return node_.IsMap() && static_cast<bool>(node_[key]);
}

YAML::Node MappingReader::get(const std::string& key) const {
    if (!node_.IsMap()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    return node_[key];
}

std::optional<std::string> MappingReader::scalar(const std::string& key, const YAML::Node& value) {
    if (!value.IsScalar()) {
        diagnostics_.error("yaml.expected-value",
                           fmt::format("'{}' must be a single value, but it is {}", key,
                                       node_kind(value)),
                           span_of(value, file_));
        return std::nullopt;
    }
    return value.Scalar();
}

std::optional<std::string> MappingReader::required_string(const std::string& key) {
    const YAML::Node value = get(key);
    if (!value) {
        if (node_.IsMap()) {
            diagnostics_.error("yaml.missing-key", fmt::format("a {} needs '{}'", what_, key),
                               span_of(node_, file_));
        }
        return std::nullopt;
    }
    return scalar(key, value);
}

std::optional<std::string> MappingReader::optional_string(const std::string& key) {
    const YAML::Node value = get(key);
    if (!value) {
        return std::nullopt;
    }
    return scalar(key, value);
}

std::optional<Duration> MappingReader::optional_duration(const std::string& key) {
    const auto text = optional_string(key);
    if (!text) {
        return std::nullopt;
    }
    const YAML::Node value = get(key);
    const auto duration = parse_duration(*text);
    if (!duration) {
        diagnostics_.error("yaml.bad-duration",
                           fmt::format("'{}' is not a duration; write a number and a unit, such as "
                                       "90s, 15min, 2h or 3d",
                                       *text),
                           span_of(value, file_));
    }
    return duration;
}

std::optional<int> MappingReader::optional_int(const std::string& key) {
    const auto text = optional_string(key);
    if (!text) {
        return std::nullopt;
    }
    const YAML::Node value = get(key);
    int number = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, number);
    if (ec != std::errc() || ptr != end) {
        diagnostics_.error("yaml.expected-integer",
                           fmt::format("'{}' must be a whole number, not '{}'", key, *text),
                           span_of(value, file_));
        return std::nullopt;
    }
    return number;
}

}  // namespace passerelle::rules
