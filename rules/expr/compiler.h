// SPDX-License-Identifier: Apache-2.0
// Entry points: expression text + symbol table -> type-checked, verified Program, or errors.
#pragma once

#include <cstddef>
#include <string_view>

#include "rules/expr/error.h"
#include "rules/expr/program.h"
#include "rules/expr/symbol_table.h"

namespace passerelle::rules::expr {

/// More errors than this from one expression are not reported: the first ones explain the rest.
inline constexpr std::size_t kMaxReportedErrors = 16;

/// Compiles an expression of any type (derived signals, template values); see
/// Program::result_type(). Names and caller functions are resolved through `symbols`, which may
/// allocate slots while doing so, even when compilation fails.
/// @return the program, or errors sorted by offset: the first syntax error (expr.syntax,
///         expr.too-long, expr.too-deep) alone, else every resolution and type error found
///         (expr.unknown-identifier, expr.unknown-function, expr.type, expr.arguments, or the
///         code of a caller function's Error).
ExprResult<Program> compile(std::string_view source, SymbolTable& symbols);

/// compile() for `when:`/`clear:` conditions: the expression must be true/false, or the result
/// is an error expr.not-a-condition ("a condition must be true or false, but this is a number").
ExprResult<Program> compile_condition(std::string_view source, SymbolTable& symbols);

}  // namespace passerelle::rules::expr
