// SPDX-License-Identifier: Apache-2.0
// The documented list of expression error codes, and their conversion to file diagnostics.
#include "rules/expr/error.h"

#include <array>
#include <limits>

namespace passerelle::rules::expr {
namespace {

constexpr std::array<ErrorCodeInfo, 9> kErrorCodes{{
    {codes::kSyntax,
     "The expression is not well formed: a missing operator, parenthesis or quote."},
    {codes::kTooLong, "The expression is longer than 4096 bytes; split the rule instead."},
    {codes::kTooDeep, "The expression nests more than 64 levels of parentheses or operators."},
    {codes::kUnknownIdentifier, "A name in the expression is not a value this rule can read."},
    {codes::kUnknownFunction, "A function call names a function that does not exist."},
    {codes::kType, "An operator or function is used with values of the wrong kind."},
    {codes::kArguments, "A function is called with the wrong number or kind of arguments."},
    {codes::kNotACondition, "A condition (when:, clear:) must be true or false, not a number."},
    {codes::kUnit,
     "A number's unit is unknown, of another kind than what it is compared with, or used where "
     "no unit can be checked."},
}};

int clamp_to_int(std::size_t value) {
    return value > static_cast<std::size_t>(std::numeric_limits<int>::max() / 2)
               ? std::numeric_limits<int>::max() / 2
               : static_cast<int>(value);
}

}  // namespace

std::span<const ErrorCodeInfo> error_codes() {
    return kErrorCodes;
}

Diagnostic to_diagnostic(const ExprError& error, const SourceSpan& start) {
    SourceSpan span = start;
    if (span.column > 0) {
        span.column += clamp_to_int(error.offset);
    }
    // A caret line needs at least one character, even for "unexpected end of expression".
    span.length = error.length == 0 ? 1 : clamp_to_int(error.length);
    return Diagnostic{Severity::Error, error.code, error.message, std::move(span)};
}

}  // namespace passerelle::rules::expr
