// SPDX-License-Identifier: Apache-2.0
// Implementations of the built-in functions, total over finite inputs.
#include "rules/expr/builtins.h"

#include <array>
#include <cmath>

namespace passerelle::rules::expr {
namespace {

// round(x, digits) beyond this many digits is meaningless for a double.
constexpr double kMaxRoundDigits = 15.0;

Cell apply_abs(std::span<const Cell> args) {
    return Cell::of_number(std::fabs(args[0].number));
}

Cell apply_min(std::span<const Cell> args) {
    double result = args[0].number;
    for (const Cell& arg : args.subspan(1)) {
        result = std::fmin(result, arg.number);
    }
    return Cell::of_number(result);
}

Cell apply_max(std::span<const Cell> args) {
    double result = args[0].number;
    for (const Cell& arg : args.subspan(1)) {
        result = std::fmax(result, arg.number);
    }
    return Cell::of_number(result);
}

Cell apply_round(std::span<const Cell> args) {
    const double x = args[0].number;
    if (args.size() == 1) {
        return Cell::of_number(std::round(x));
    }
    const double digits = args[1].number;
    if (digits != std::trunc(digits) || std::fabs(digits) > kMaxRoundDigits) {
        return Cell::absent();
    }
    // Multiplying or dividing by an exact power of ten keeps round(1234, -2) at exactly 1200.
    const double scale = std::pow(10.0, std::fabs(digits));
    if (digits >= 0) {
        const double scaled = x * scale;
        if (!std::isfinite(scaled)) {
            return Cell::of_number(x);  // already more precise than any double can show
        }
        return Cell::of_number(std::round(scaled) / scale);
    }
    return Cell::of_number(std::round(x / scale) * scale);
}

Cell apply_floor(std::span<const Cell> args) {
    return Cell::of_number(std::floor(args[0].number));
}

Cell apply_ceil(std::span<const Cell> args) {
    return Cell::of_number(std::ceil(args[0].number));
}

Cell apply_clamp(std::span<const Cell> args) {
    const double x = args[0].number;
    const double low = args[1].number;
    const double high = args[2].number;
    if (low > high) {
        return Cell::absent();  // no answer is right; std::clamp would even be undefined
    }
    return Cell::of_number(x < low ? low : (x > high ? high : x));
}

constexpr std::array<Builtin, 7> kBuiltins{{
    {"abs", "The value without its sign: abs(-3) is 3.", 1, 1, Type::Number, Type::Number,
     &apply_abs},
    {"min", "The smallest of two or more numbers: min(a, b, c).", 2, kVariadic, Type::Number,
     Type::Number, &apply_min},
    {"max", "The largest of two or more numbers: max(a, b, c).", 2, kVariadic, Type::Number,
     Type::Number, &apply_max},
    {"round", "Rounds half away from zero, to an integer or to a number of decimals: round(x, 1).",
     1, 2, Type::Number, Type::Number, &apply_round},
    {"floor", "The largest integer not above the number: floor(2.7) is 2.", 1, 1, Type::Number,
     Type::Number, &apply_floor},
    {"ceil", "The smallest integer not below the number: ceil(2.1) is 3.", 1, 1, Type::Number,
     Type::Number, &apply_ceil},
    {"clamp", "The number kept between a low and a high bound: clamp(x, 0, 100).", 3, 3,
     Type::Number, Type::Number, &apply_clamp},
}};

}  // namespace

std::span<const Builtin> builtins() {
    return kBuiltins;
}

std::optional<std::uint32_t> find_builtin(std::string_view name) {
    for (std::size_t i = 0; i < kBuiltins.size(); ++i) {
        if (kBuiltins[i].name == name) {
            return static_cast<std::uint32_t>(i);
        }
    }
    return std::nullopt;
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    names.reserve(kBuiltins.size());
    for (const auto& builtin : kBuiltins) {
        names.emplace_back(builtin.name);
    }
    return names;
}

}  // namespace passerelle::rules::expr
