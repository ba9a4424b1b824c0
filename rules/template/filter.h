// SPDX-License-Identifier: Apache-2.0
// Filters of template placeholders, `{{ started_at | local_datetime }}`, and the kinds of value
// they apply to: checked when the rules load, applied when a notice is written.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/time_zone.h"

namespace passerelle::rules {

/// A problem in a template text, at a byte offset inside it.
struct TemplateError {
    std::size_t offset = 0;
    std::size_t length = 1;
    std::string message;
};

/// What a placeholder holds: which filters apply to it, and how it prints without one.
enum class ValueKind {
    Text,      // printed as it is
    Number,    // a number (empty when there is none)
    Time,      // seconds since the Unix epoch, printed in UTC: "2026-07-14T12:00:00Z"
    Duration,  // seconds, printed in words: "1 h 15 min"
    Any,       // a number or a text, known when the notice is written (a registry attribute)
};

/// One filter after a '|'.
struct Filter {
    enum class Op { Round, Duration, LocalTime, LocalDate, LocalDateTime, InUnit };
    Op op = Op::Round;
    int digits = 0;       // round(N)
    std::string pattern;  // local_*: format_local's pattern
    std::string unit;     // in('l/h'): the unit to write the value in
};

/// Parses `text`, one filter found at `offset` in the template, applied to `subject` (what the
/// messages call the filtered value: "started_at", "value | round(1)") of kind `kind`. An unknown
/// filter, a wrong argument or a filter that does not apply to the kind is an error.
std::variant<Filter, TemplateError> parse_filter(std::string_view text, std::size_t offset,
                                                 ValueKind kind, std::string_view subject);

/// A value on its way through its placeholder's filters.
struct FilteredValue {
    Value value;
    ValueKind kind = ValueKind::Any;
    std::string unit;  // the reading's unit, for in('l/h'); empty when none
};

/// Whether a chain of filters needs the value's unit.
bool needs_unit(const std::vector<Filter>& filters);

/// Applies `filter`; the result is text, except after in('l/h'), a number. A value in a unit that
/// does not convert (another dimension, no unit) keeps its number and is followed by its unit, so
/// that a message never shows a number in a unit it is not in. A value that is not a number when the notice is written
/// (an attribute some entity lacks, a textual reading) goes through unchanged.
FilteredValue apply_filter(const Filter& filter, FilteredValue in, const TimeZone& zone);

/// How a value prints once filtered: times in UTC, durations in words, the rest as it is.
std::string print(const FilteredValue& value);

}  // namespace passerelle::rules
