// SPDX-License-Identifier: Apache-2.0
// The pure functions every expression can call: abs, min, max, round, floor, ceil, clamp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expr/cell.h"
#include "rules/expr/types.h"

namespace passerelle::rules::expr {

inline constexpr std::size_t kVariadic = std::numeric_limits<std::size_t>::max();

struct Builtin {
    std::string_view name;
    std::string_view summary;  // one sentence, for the documentation
    std::size_t min_args = 0;
    std::size_t max_args = 0;  // kVariadic: no upper bound
    Type param_type = Type::Number;
    Type result_type = Type::Number;
    // Called with exactly the declared number of present arguments; the evaluator turns an absent
    // argument into an absent result beforehand and a non-finite number into absent afterwards.
    Cell (*apply)(std::span<const Cell> args) = nullptr;
};

/// All built-in functions; a Call instruction refers to one by its index here.
std::span<const Builtin> builtins();

/// The index of the built-in called `name`, if any.
std::optional<std::uint32_t> find_builtin(std::string_view name);

std::vector<std::string> builtin_names();

}  // namespace passerelle::rules::expr
