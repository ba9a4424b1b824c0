// SPDX-License-Identifier: Apache-2.0
#include "rules/template/template.h"

#include <algorithm>

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

struct Segment {
    std::string_view text;
    std::size_t offset;  // in the template
};

// The name and the filters of a placeholder: its text cut at each '|' outside quotes, trimmed.
std::vector<Segment> split_at_bars(std::string_view inside, std::size_t offset) {
    std::vector<Segment> segments;
    std::size_t start = 0;
    char quote = 0;
    for (std::size_t i = 0; i <= inside.size(); ++i) {
        const char c = i < inside.size() ? inside[i] : '|';
        if (i == inside.size()) {
            quote = 0;  // an unclosed quote still ends with the placeholder: one segment at least
        }
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '|') {
            std::size_t segment_offset = offset + start;
            const std::string_view text = trim(inside.substr(start, i - start), segment_offset);
            segments.push_back({text, segment_offset});
            start = i + 1;
        }
    }
    return segments;
}

// The placeholder `{{ inside }}`, found at `offset`, `length` bytes long with its braces.
std::variant<Template::Part, TemplateError> parse_placeholder(
    std::string_view inside, std::size_t offset, std::size_t length,
    const std::vector<PlaceholderSpec>& names) {
    const std::vector<Segment> segments = split_at_bars(inside, offset + 2);
    const Segment& name = segments.front();
    if (name.text.empty()) {
        return TemplateError{offset, length,
                             segments.size() == 1
                                 ? "empty placeholder '{{ }}'"
                                 : "a placeholder names a value before its filters"};
    }
    const auto spec = std::find_if(names.begin(), names.end(),
                                   [&](const PlaceholderSpec& s) { return s.name == name.text; });
    if (spec == names.end()) {
        std::vector<std::string> known;
        for (const auto& s : names) {
            known.push_back(s.name);
        }
        return TemplateError{
            name.offset, name.text.size(),
            fmt::format("unknown placeholder '{}'{}", name.text, did_you_mean(name.text, known))};
    }
    Template::Part part{spec->name, true, spec->kind, {}};
    std::string subject = spec->name;
    ValueKind kind = spec->kind;
    for (std::size_t i = 1; i < segments.size(); ++i) {
        auto filter = parse_filter(segments[i].text, segments[i].offset, kind, subject);
        if (auto* error = std::get_if<TemplateError>(&filter)) {
            return *std::move(error);
        }
        part.filters.push_back(std::get<Filter>(std::move(filter)));
        subject += fmt::format(" | {}", segments[i].text);
        // Every filter writes text, but in() a number in another unit.
        kind = part.filters.back().op == Filter::Op::InUnit ? ValueKind::Number : ValueKind::Text;
    }
    return part;
}

}  // namespace

std::variant<Template, TemplateError> Template::parse(std::string_view text,
                                                      const std::vector<PlaceholderSpec>& names) {
    Template result;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            result.parts_.push_back({std::string(text.substr(pos)), false, ValueKind::Text, {}});
            break;
        }
        if (open > pos) {
            result.parts_.push_back(
                {std::string(text.substr(pos, open - pos)), false, ValueKind::Text, {}});
        }
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            return TemplateError{open, 2, "'{{' is not closed by '}}'"};
        }
        auto part = parse_placeholder(text.substr(open + 2, close - open - 2), open,
                                      close + 2 - open, names);
        if (auto* error = std::get_if<TemplateError>(&part)) {
            return *std::move(error);
        }
        result.parts_.push_back(std::get<Part>(std::move(part)));
        pos = close + 2;
    }
    return result;
}

std::string Template::render(const std::function<Value(std::string_view name)>& lookup,
                             const TimeZone& zone) const {
    std::string out;
    for (const auto& part : parts_) {
        if (!part.is_placeholder) {
            out += part.text;
            continue;
        }
        FilteredValue value{lookup(part.text), part.kind, {}};
        if (needs_unit(part.filters)) {
            const Value unit = lookup("unit");
            if (const auto* symbol = std::get_if<std::string>(&unit)) {
                value.unit = *symbol;
            }
        }
        for (const auto& filter : part.filters) {
            value = apply_filter(filter, std::move(value), zone);
        }
        out += print(value);
    }
    return out;
}

std::string Template::render(const std::function<Value(std::string_view name)>& lookup) const {
    static const TimeZone kUtc;
    return render(lookup, kUtc);
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
