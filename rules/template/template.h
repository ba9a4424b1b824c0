// SPDX-License-Identifier: Apache-2.0
// Message templates: "Logement {{ entity }} : {{ value | round(1) }} °C", checked when rules load.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/time_zone.h"
#include "rules/template/filter.h"

namespace passerelle::rules {

/// A name a template may use, and what it holds.
struct PlaceholderSpec {
    std::string name;
    ValueKind kind = ValueKind::Any;
};

/// A parsed template: literal text and placeholders, each with its chain of filters.
class Template {
public:
    struct Part {
        std::string text;  // literal text, or the placeholder's name
        bool is_placeholder = false;
        ValueKind kind = ValueKind::Text;  // the placeholder's
        std::vector<Filter> filters;       // `| round(1)`, applied in order
    };

    /// Parses `text`; every placeholder must be one of `names` (else an error with did-you-mean),
    /// and each of its filters must apply to what it receives.
    static std::variant<Template, TemplateError> parse(std::string_view text,
                                                       const std::vector<PlaceholderSpec>& names);

    /// Renders with `lookup`, which gives each placeholder's value (a time or a duration as
    /// seconds), local times in `zone`.
    std::string render(const std::function<Value(std::string_view name)>& lookup,
                       const TimeZone& zone) const;
    /// The same in UTC.
    std::string render(const std::function<Value(std::string_view name)>& lookup) const;

    const std::vector<Part>& parts() const { return parts_; }
    bool is_literal() const;
    /// The placeholders used, for checks such as "which data does this message carry".
    std::vector<std::string> placeholders() const;

private:
    std::vector<Part> parts_;
};

}  // namespace passerelle::rules
