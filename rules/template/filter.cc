// SPDX-License-Identifier: Apache-2.0
#include "rules/template/filter.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "rules/expr/units.h"
#include "rules/template/text_format.h"

namespace passerelle::rules {
namespace {

enum class Argument { None, Digits, Pattern, Unit };

struct FilterInfo {
    std::string_view name;
    Filter::Op op;
    Argument argument;
    std::string_view default_pattern;
};

constexpr std::array<FilterInfo, 6> kFilters{{
    {"round", Filter::Op::Round, Argument::Digits, ""},
    {"duration", Filter::Op::Duration, Argument::None, ""},
    {"local_time", Filter::Op::LocalTime, Argument::Pattern, "%H:%M"},
    {"local_date", Filter::Op::LocalDate, Argument::Pattern, "%d/%m/%Y"},
    {"local_datetime", Filter::Op::LocalDateTime, Argument::Pattern, "%d/%m/%Y %H:%M"},
    {"in", Filter::Op::InUnit, Argument::Unit, ""},
}};

constexpr std::string_view kFilterList =
    "round(N), duration, local_time, local_date, local_datetime, in('unit')";

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string_view describe(ValueKind kind) {
    switch (kind) {
        case ValueKind::Text:
            return "text";
        case ValueKind::Number:
            return "a number";
        case ValueKind::Time:
            return "a time";
        case ValueKind::Duration:
            return "a duration";
        case ValueKind::Any:
            return "a number or a text";
    }
    return "";
}

// Whether `info` applies to `kind`, else what it applies to.
std::optional<std::string_view> kind_mismatch(const FilterInfo& info, ValueKind kind) {
    if (info.argument == Argument::Pattern) {
        return kind == ValueKind::Time
                   ? std::nullopt
                   : std::optional<std::string_view>("a time such as started_at");
    }
    if (info.argument == Argument::Unit && kind == ValueKind::Duration) {
        return "a reading's number such as value";
    }
    if (kind == ValueKind::Number || kind == ValueKind::Duration || kind == ValueKind::Any) {
        return std::nullopt;
    }
    return "a number such as value";
}

std::optional<int> parse_digits(std::string_view digits) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || value < 0 || value > 9) {
        return std::nullopt;
    }
    return value;
}

// A quoted pattern, 'x' or "x", without its quotes; empty when `text` is not one.
std::optional<std::string_view> unquote(std::string_view text) {
    if (text.size() < 2 || (text.front() != '\'' && text.front() != '"') ||
        text.back() != text.front()) {
        return std::nullopt;
    }
    return text.substr(1, text.size() - 2);
}

// The argument of `info`, found at `offset` in the template; empty when there is none.
std::optional<TemplateError> parse_argument(const FilterInfo& info, std::string_view argument,
                                            std::size_t offset, Filter& filter) {
    const std::size_t length = std::max<std::size_t>(argument.size(), 1);
    switch (info.argument) {
        case Argument::None:
            return TemplateError{offset, length, fmt::format("'{}' takes no argument", info.name)};
        case Argument::Digits:
            if (const auto digits = parse_digits(argument)) {
                filter.digits = *digits;
                return std::nullopt;
            }
            return TemplateError{offset, length,
                                 "round takes a number of digits from 0 to 9: round(1)"};
        case Argument::Unit: {
            const auto unit = unquote(argument);
            if (!unit) {
                return TemplateError{offset, length, "in takes a quoted unit: in('l/h')"};
            }
            const auto id = expr::find_unit(*unit);
            if (!id) {
                return TemplateError{offset + 1, std::max<std::size_t>(unit->size(), 1),
                                     fmt::format("unknown unit '{}'{}", *unit,
                                                 did_you_mean(*unit, expr::unit_spellings()))};
            }
            filter.unit = std::string(expr::units()[*id].symbol);
            return std::nullopt;
        }
        case Argument::Pattern: {
            const auto pattern = unquote(argument);
            if (!pattern) {
                return TemplateError{offset, length,
                                     fmt::format("{} takes a quoted pattern: {}('%d/%m à %Hh%M')",
                                                 info.name, info.name)};
            }
            if (const auto bad = unknown_directive(*pattern)) {
                return TemplateError{offset + 1 + *bad,
                                     std::min<std::size_t>(2, pattern->size() - *bad),
                                     "unknown directive in the pattern; the directives are %d %m "
                                     "%Y %H %M %S %A %B %Z and %%"};
            }
            filter.pattern = std::string(*pattern);
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace

std::variant<Filter, TemplateError> parse_filter(std::string_view text, std::size_t offset,
                                                 ValueKind kind, std::string_view subject) {
    const auto name_end = std::find_if_not(text.begin(), text.end(), is_name_char);
    const std::string_view name = text.substr(0, static_cast<std::size_t>(name_end - text.begin()));
    if (name.empty()) {
        return TemplateError{offset, std::max<std::size_t>(text.size(), 1),
                             fmt::format("expected a filter after '|': {}", kFilterList)};
    }
    const auto* info = std::find_if(kFilters.begin(), kFilters.end(),
                                    [name](const FilterInfo& f) { return f.name == name; });
    if (info == kFilters.end()) {
        std::vector<std::string> names;
        for (const auto& f : kFilters) {
            names.emplace_back(f.name);
        }
        const std::string suggestion = did_you_mean(name, names);
        return TemplateError{
            offset, name.size(),
            suggestion.empty()
                ? fmt::format("unknown filter '{}'; the filters are {}", name, kFilterList)
                : fmt::format("unknown filter '{}'{}", name, suggestion)};
    }
    if (const auto wanted = kind_mismatch(*info, kind)) {
        return TemplateError{
            offset, name.size(),
            fmt::format("'{}' applies to {}; '{}' is {}", name, *wanted, subject, describe(kind))};
    }
    Filter filter{info->op, 0, std::string(info->default_pattern), {}};
    std::string_view rest = text.substr(name.size());
    std::size_t rest_offset = offset + name.size();
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
        ++rest_offset;
    }
    if (rest.empty()) {
        if (info->argument == Argument::Digits) {
            return TemplateError{offset, name.size(),
                                 "round takes a number of digits from 0 to 9: round(1)"};
        }
        if (info->argument == Argument::Unit) {
            return TemplateError{offset, name.size(), "in takes a quoted unit: in('l/h')"};
        }
        return filter;
    }
    if (rest.front() != '(' || rest.back() != ')') {
        return TemplateError{rest_offset, rest.size(),
                             fmt::format("expected '(argument)' or the end of '{}'", name)};
    }
    if (auto error =
            parse_argument(*info, rest.substr(1, rest.size() - 2), rest_offset + 1, filter)) {
        return *std::move(error);
    }
    return filter;
}

bool needs_unit(const std::vector<Filter>& filters) {
    return std::any_of(filters.begin(), filters.end(),
                       [](const Filter& f) { return f.op == Filter::Op::InUnit; });
}

FilteredValue apply_filter(const Filter& filter, FilteredValue in, const TimeZone& zone) {
    const auto* number = std::get_if<double>(&in.value);
    if (number == nullptr) {
        return {std::move(in.value), ValueKind::Text, {}};
    }
    switch (filter.op) {
        case Filter::Op::InUnit: {
            const auto from = expr::find_unit(in.unit);
            const auto to = expr::find_unit(filter.unit);
            if (from && to) {
                if (const auto converted = expr::convert(*number, *from, *to)) {
                    return {*converted, ValueKind::Number, filter.unit};
                }
            }
            if (in.unit.empty()) {
                return {format_value(in.value), ValueKind::Text, {}};
            }
            return {fmt::format("{} {}", format_value(in.value), in.unit), ValueKind::Text, {}};
        }
        case Filter::Op::Round:
            return {fmt::format("{:.{}f}", *number, filter.digits), ValueKind::Text, {}};
        case Filter::Op::Duration:
            return {duration_in_words(*number), ValueKind::Text, {}};
        case Filter::Op::LocalTime:
        case Filter::Op::LocalDate:
        case Filter::Op::LocalDateTime:
            if (const auto time = timestamp_from_epoch_seconds(*number)) {
                return {format_local(*time, zone, filter.pattern), ValueKind::Text, {}};
            }
            break;
    }
    return {std::move(in.value), ValueKind::Text, {}};
}

std::string print(const FilteredValue& value) {
    if (const auto* number = std::get_if<double>(&value.value)) {
        if (value.kind == ValueKind::Duration) {
            return duration_in_words(*number);
        }
        if (value.kind == ValueKind::Time) {
            if (const auto time = timestamp_from_epoch_seconds(*number)) {
                return format_utc(*time);
            }
        }
    }
    return format_value(value.value);
}

}  // namespace passerelle::rules
