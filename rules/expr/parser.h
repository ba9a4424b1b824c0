// SPDX-License-Identifier: Apache-2.0
// Parses expression text into an Ast, stopping at the first syntax error with its exact position.
#pragma once

#include <cstddef>
#include <string_view>

#include "rules/expr/ast.h"
#include "rules/expr/error.h"

// The grammar, lowest precedence first (EBNF; `{ x }` repeats, `[ x ]` is optional):
//
//   expression  = or ;
//   or          = and { ( "or" | "||" ) and } ;
//   and         = not { ( "and" | "&&" ) not } ;
//   not         = ( "not" | "!" ) not | comparison ;
//   comparison  = sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum
//                     | [ "not" ] "in" list ] ;               (* never chained: a < b < c *)
//   sum         = product { ( "+" | "-" ) product } ;
//   product     = unary { ( "*" | "/" | "%" ) unary } ;
//   unary       = "-" unary | primary ;
//   primary     = number [ unit ] | duration | string | "true" | "false"
//               | name [ "(" [ expression { "," expression } ] ")" ]
//               | "(" expression ")" ;
//   list        = "[" [ expression { "," expression } ] "]" ;
//
//   number      = digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
//   digits      = digit { digit } ;
//   duration    = digits time_unit { digits time_unit } ;        (* 90s, 15min, 1h30min *)
//   time_unit   = "ms" | "s" | "min" | "m" | "h" | "d" | "w" ;
//   unit        = "Cel" | "°C" | "K" | "%" | "%RH" | "%EL" | "l" | "m3" | "l/h" | "l/min" | "l/s"
//               | "m3/h" | "m3/s" | "W" | "kW" | "Wh" | "kWh" | "count" ;  (* see units.h *)
//   string      = '"' { char | '\"' | "\'" | "\\" } '"' | "'" { ... } "'" ;
//   name        = letter { letter | digit | "_" | "." } ;   (* no empty part between dots *)
//
// A unit follows its number with or without a space (`28 Cel`, `50kW`); a '%' after a number is
// the unit where the remainder could not be (before the end, ')', ']', ',', a comparison, 'and',
// 'or'), so `80 %` is a percentage and `7 % 3` a remainder.
// Keywords (and, or, not, in, true, false) are lower case. `not` binds looser than comparisons,
// so `not level >= 3` is `not (level >= 3)`; `-` binds tighter than `*`. `%` is the floored
// remainder (the sign of the right side, as hours in `(h + 23) % 24`).
//
// Limits: nesting (parentheses, unary operators, calls, lists) and the height of the tree
// (operators applied to results of operators: `a + b + c` is two levels) are each at most
// kMaxExpressionDepth. They bound every recursion over the text or the tree, so no input can
// overflow the stack. What a name or a call means, and whether the types fit, is decided later
// by the compiler.

namespace passerelle::rules::expr {

inline constexpr std::size_t kMaxExpressionDepth = 64;

/// The tree of `source`, or its first error: expr.syntax, expr.too-long or expr.too-deep.
ExprResult<Ast> parse(std::string_view source);

}  // namespace passerelle::rules::expr
