// SPDX-License-Identifier: Apache-2.0
#include "rules/template/template.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "gateway/core/spelling.h"

namespace passerelle::rules {
namespace {

std::string_view trim(std::string_view text, std::size_t& offset) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
        ++offset;
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

// Parses "round(N)" after a '|' in a placeholder.
std::optional<int> parse_round(std::string_view filter) {
    constexpr std::string_view kPrefix = "round(";
    if (!filter.starts_with(kPrefix) || !filter.ends_with(')')) {
        return std::nullopt;
    }
    const std::string_view digits = filter.substr(kPrefix.size(), filter.size() - kPrefix.size() - 1);
    int value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || value < 0 || value > 9) {
        return std::nullopt;
    }
    return value;
}

std::string render_value(const Value& value, std::optional<int> round_digits) {
    if (const auto* number = std::get_if<double>(&value); number && round_digits) {
        return fmt::format("{:.{}f}", *number, *round_digits);
    }
    return format_value(value);
}

}  // namespace

std::variant<Template, TemplateError> Template::parse(std::string_view text,
                                                      const std::vector<std::string>& names) {
    Template result;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            result.parts_.push_back({std::string(text.substr(pos)), false, std::nullopt});
            break;
        }
        if (open > pos) {
            result.parts_.push_back({std::string(text.substr(pos, open - pos)), false, std::nullopt});
        }
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            return TemplateError{open, 2, "'{{' is not closed by '}}'"};
        }
        std::size_t name_offset = open + 2;
        std::string_view inside = text.substr(open + 2, close - open - 2);
        std::optional<int> round_digits;
        if (const auto bar = inside.find('|'); bar != std::string_view::npos) {
            std::size_t filter_offset = name_offset + bar + 1;
            const std::string_view filter = trim(inside.substr(bar + 1), filter_offset);
            round_digits = parse_round(filter);
            if (!round_digits) {
                return TemplateError{filter_offset, std::max<std::size_t>(filter.size(), 1),
                                     fmt::format("unknown filter '{}'; the filter available is "
                                                 "round(N), N from 0 to 9",
                                                 filter)};
            }
            inside = inside.substr(0, bar);
        }
        const std::string_view name = trim(inside, name_offset);
        if (name.empty()) {
            return TemplateError{open, close + 2 - open, "empty placeholder '{{ }}'"};
        }
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            return TemplateError{name_offset, name.size(),
                                 fmt::format("unknown placeholder '{}'{}", name,
                                             did_you_mean(name, names))};
        }
        result.parts_.push_back({std::string(name), true, round_digits});
        pos = close + 2;
    }
    return result;
}

std::string Template::render(const std::function<Value(std::string_view name)>& lookup) const {
    std::string out;
    for (const auto& part : parts_) {
        out += part.is_placeholder ? render_value(lookup(part.text), part.round_digits) : part.text;
    }
    return out;
}

bool Template::is_literal() const {
    return std::none_of(parts_.begin(), parts_.end(), [](const Part& p) { return p.is_placeholder; });
}

std::vector<std::string> Template::placeholders() const {
    std::vector<std::string> names;
    for (const auto& part : parts_) {
        if (part.is_placeholder) {
            names.push_back(part.text);
        }
    }
    return names;
}

}  // namespace passerelle::rules
