// SPDX-License-Identifier: Apache-2.0
// Message templates: "Logement {{ entity }} : {{ value | round(1) }} °C", checked when rules load.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/core/reading.h"

namespace passerelle::rules {

/// A problem in a template text, at a byte offset inside it.
struct TemplateError {
    std::size_t offset = 0;
    std::size_t length = 1;
    std::string message;
};

/// A parsed template: literal text and placeholders, each placeholder possibly rounded.
class Template {
public:
    struct Part {
        std::string text;  // literal text, or the placeholder's name
        bool is_placeholder = false;
        std::optional<int> round_digits;  // `| round(N)`
    };

    /// Parses `text`; every placeholder must be one of `names` (else an error with did-you-mean).
    static std::variant<Template, TemplateError> parse(std::string_view text,
                                                       const std::vector<std::string>& names);

    /// Renders with `lookup`, which gives each placeholder's value.
    std::string render(const std::function<Value(std::string_view name)>& lookup) const;

    const std::vector<Part>& parts() const { return parts_; }
    bool is_literal() const;
    /// The placeholders used, for checks such as "which data does this message carry".
    std::vector<std::string> placeholders() const;

private:
    std::vector<Part> parts_;
};

}  // namespace passerelle::rules
