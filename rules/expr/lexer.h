// SPDX-License-Identifier: Apache-2.0
// Splits expression text into tokens, rejecting bad characters, numbers and strings precisely.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/time.h"
#include "rules/expr/error.h"
#include "rules/expr/units.h"

namespace passerelle::rules::expr {

/// Longer expressions are refused: a rule condition that long should be split, and the bound keeps
/// every later stage (positions, recursion over chains, stack size) small.
inline constexpr std::size_t kMaxExpressionLength = 4096;

enum class TokenKind {
    Number,    // 28, 26.5, 1e3; with a unit: 28 Cel, 50kW, 80 %
    Duration,  // 90s, 15min, 1h30min: only meaningful as a function argument
    String,    // "rouge" or 'rouge'; `text` holds the unescaped content
    Name,      // value, entity.vulnerable; `text` holds the name
    True,
    False,
    And,  // and, &&
    Or,   // or, ||
    Not,  // not, !
    In,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    End,  // always the last token, at offset == text size, length 0
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::size_t offset = 0;
    std::size_t length = 0;
    double number = 0.0;  // Number
    Duration duration{};  // Duration
    std::string text;     // String (unescaped), Name
    std::optional<UnitId> unit;  // Number, when a unit follows it
};

/// The tokens of `source`, ending with an End token, or the first lexical error
/// (codes expr.syntax, expr.too-long).
ExprResult<std::vector<Token>> lex(std::string_view source);

}  // namespace passerelle::rules::expr
