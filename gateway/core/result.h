// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or an Error, for every failure that input, the environment or a peer can cause.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "gateway/core/assert.h"

namespace passerelle {

/// An expected failure: a stable machine code (e.g. "senml.bad-value") and a sentence for people.
struct Error {
    std::string code;
    std::string message;
};

/// Mirrors the names of C++23 std::expected so that moving to it later is a typedef.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        PASSERELLE_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(state_);
    }
    const T& value() const& {
        PASSERELLE_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(state_);
    }
    T&& value() && {
        PASSERELLE_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(std::move(state_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const {
        PASSERELLE_ASSERT(!has_value(), "Result::error() on a value");
        return std::get<1>(state_);
    }
    template <typename U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, Error> state_;
};

/// Success without a value.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string code, std::string message) {
    return Error{std::move(code), std::move(message)};
}

}  // namespace passerelle
