// SPDX-License-Identifier: Apache-2.0
// Reading YAML that people write: every node keeps its file:line:column, unknown keys are caught.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"

namespace passerelle::rules {

/// The whole text of a file; an unreadable file becomes a diagnostic.
std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics);
/// Parses a YAML file; a syntax error or an unreadable file becomes a diagnostic.
std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diagnostics);
/// Parses YAML text; `file` names it in diagnostics.
std::optional<YAML::Node> load_yaml_text(std::string_view text, const std::string& file,
                                         Diagnostics& diagnostics);

/// The 1-based position of a node; length covers a scalar's text on its line.
SourceSpan span_of(const YAML::Node& node, const std::string& file);

/// The position of bytes [offset, offset+length) inside a one-line scalar, counting its opening quote;
/// for block scalars it falls back to the scalar's start.
SourceSpan span_in_scalar(const YAML::Node& node, const std::string& file, std::size_t offset,
                          std::size_t length);

/// Checks one YAML mapping against the keys it may hold, and reads its values with positions.
class MappingReader {
public:
    /// `what` names the mapping in messages ("rule", "action"). Reports a non-mapping node, unknown
    /// keys (with did-you-mean) and duplicate keys.
    MappingReader(const YAML::Node& node, std::string file, std::string what,
                  std::vector<std::string> allowed_keys, Diagnostics& diagnostics);

    bool valid() const { return valid_; }
    const std::string& file() const { return file_; }
    const YAML::Node& node() const { return node_; }
    bool has(const std::string& key) const;
    /// The value of `key`, or an undefined node when absent.
    YAML::Node get(const std::string& key) const;

    /// A required scalar; reports "<what> needs '<key>'" when absent.
    std::optional<std::string> required_string(const std::string& key);
    std::optional<std::string> optional_string(const std::string& key);
    /// A duration such as "2h" or "15min"; a bad one is reported with the accepted forms.
    std::optional<Duration> optional_duration(const std::string& key);
    std::optional<int> optional_int(const std::string& key);

    Diagnostics& diagnostics() { return diagnostics_; }
    SourceSpan span() const { return span_of(node_, file_); }

private:
    std::optional<std::string> scalar(const std::string& key, const YAML::Node& value);

    YAML::Node node_;
    std::string file_;
    std::string what_;
    Diagnostics& diagnostics_;
    bool valid_ = true;
};

}  // namespace passerelle::rules
