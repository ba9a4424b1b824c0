// SPDX-License-Identifier: Apache-2.0
// Positioned expression errors and the result type that carries them instead of exceptions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "gateway/core/assert.h"
#include "gateway/core/diagnostic.h"

namespace passerelle::rules::expr {

/// One problem in an expression. `offset` and `length` are in bytes within the expression text
/// (0-based); the caller maps them to file:line:column. `length` is 0 at the end of the text.
struct ExprError {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string code;  // stable, one of error_codes(): "expr.unknown-identifier"
    std::string message;

    bool operator==(const ExprError&) const = default;
};

/// A stable error code and the sentence that documents it (for `passerelle check --explain`).
struct ErrorCodeInfo {
    std::string_view code;
    std::string_view summary;
};

/// Every code this module emits. Caller-resolved functions may add their own codes.
std::span<const ErrorCodeInfo> error_codes();

namespace codes {
inline constexpr std::string_view kSyntax = "expr.syntax";
inline constexpr std::string_view kTooLong = "expr.too-long";
inline constexpr std::string_view kTooDeep = "expr.too-deep";
inline constexpr std::string_view kUnknownIdentifier = "expr.unknown-identifier";
inline constexpr std::string_view kUnknownFunction = "expr.unknown-function";
inline constexpr std::string_view kType = "expr.type";
inline constexpr std::string_view kArguments = "expr.arguments";
inline constexpr std::string_view kNotACondition = "expr.not-a-condition";
inline constexpr std::string_view kUnit = "expr.unit";
}  // namespace codes

/// A value or at least one ExprError. Mirrors the names of passerelle::Result (itself modelled on
/// std::expected) but holds a list, so that a type checker can report several problems at once.
template <typename T>
class [[nodiscard]] ExprResult {
public:
    ExprResult(T value)
        : state_(std::in_place_index<0>, std::move(value)) {
    }                            // NOLINT(google-explicit-constructor)
    ExprResult(ExprError error)  // NOLINT(google-explicit-constructor)
        : state_(std::in_place_index<1>, std::vector<ExprError>{std::move(error)}) {}
    ExprResult(std::vector<ExprError> errors)  // NOLINT(google-explicit-constructor)
        : state_(std::in_place_index<1>, std::move(errors)) {
        PASSERELLE_ASSERT(!std::get<1>(state_).empty(), "ExprResult built from no errors");
    }

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        PASSERELLE_ASSERT(has_value(), "ExprResult::value() on an error");
        return std::get<0>(state_);
    }
    const T& value() const& {
        PASSERELLE_ASSERT(has_value(), "ExprResult::value() on an error");
        return std::get<0>(state_);
    }
    T&& value() && {
        PASSERELLE_ASSERT(has_value(), "ExprResult::value() on an error");
        return std::get<0>(std::move(state_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// All errors, sorted by offset. Never empty when has_value() is false.
    const std::vector<ExprError>& errors() const {
        PASSERELLE_ASSERT(!has_value(), "ExprResult::errors() on a value");
        return std::get<1>(state_);
    }
    /// The first error, the one to show when only one fits.
    const ExprError& error() const { return errors().front(); }

private:
    std::variant<T, std::vector<ExprError>> state_;
};

/// The diagnostic for an expression that sits on one line of a file, its first character at
/// `start` (line and column, 1-based). Right for plain and single-line quoted YAML scalars
/// without escapes; other scalar styles need their own offset-to-position mapping.
Diagnostic to_diagnostic(const ExprError& error, const SourceSpan& start);

}  // namespace passerelle::rules::expr
