// SPDX-License-Identifier: Apache-2.0
// The expression lexer: one pass over the bytes, no allocation beyond the token list.
#include "rules/expr/lexer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "rules/expr/unit_words.h"

namespace passerelle::rules::expr {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
    return is_letter(c) || is_digit(c) || c == '.';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct Keyword {
    std::string_view text;
    TokenKind kind;
};

constexpr std::array<Keyword, 6> kKeywords{{
    {"and", TokenKind::And},
    {"or", TokenKind::Or},
    {"not", TokenKind::Not},
    {"in", TokenKind::In},
    {"true", TokenKind::True},
    {"false", TokenKind::False},
}};

// Characters that word processors and keyboards substitute for the ASCII ones; rule authors
// paste conditions from documents, so name the replacement.
struct Lookalike {
    std::string_view utf8;
    std::string_view replacement;
};

constexpr std::array<Lookalike, 10> kLookalikes{{
    {"\u2265", "'>='"},
    {"\u2264", "'<='"},
    {"\u2260", "'!='"},
    {"\u2212", "'-'"},
    {"\u00d7", "'*'"},
    {"\u00f7", "'/'"},
    {"\u2018", "a straight quote ' or \""},
    {"\u2019", "a straight quote ' or \""},
    {"\u201c", "a straight quote ' or \""},
    {"\u201d", "a straight quote ' or \""},
}};

// The length of the UTF-8 sequence starting at `pos`, or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = 0;
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
    } else {
        return 0;
    }
    if (pos + length > text.size()) {
        return 0;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((static_cast<unsigned char>(text[pos + i]) & 0xc0) != 0x80) {
            return 0;
        }
    }
    return length;
}

class Lexer {
public:
    explicit Lexer(std::string_view source) : source_(source) {}

    ExprResult<std::vector<Token>> run() {
        if (source_.size() > kMaxExpressionLength) {
            return ExprError{kMaxExpressionLength, source_.size() - kMaxExpressionLength,
                             std::string(codes::kTooLong),
                             fmt::format("the expression is too long: {} bytes, the limit is {}",
                                         source_.size(), kMaxExpressionLength)};
        }
        std::vector<Token> tokens;
        while (true) {
            while (pos_ < source_.size() && is_space(source_[pos_])) {
                ++pos_;
            }
            if (pos_ == source_.size()) {
                tokens.push_back(Token{TokenKind::End, pos_, 0, 0.0, {}, {}, {}});
                return tokens;
            }
            auto token = next();
            if (!token) {
                return std::move(*error_);
            }
            tokens.push_back(std::move(*token));
        }
    }

private:
    std::optional<Token> fail(std::size_t offset, std::size_t length, std::string message) {
        error_ = ExprError{offset, length, std::string(codes::kSyntax), std::move(message)};
        return std::nullopt;
    }

    Token make(TokenKind kind, std::size_t length) {
        Token token{kind, pos_, length, 0.0, {}, {}, {}};
        pos_ += length;
        return token;
    }

    bool next_is(char c) const { return pos_ + 1 < source_.size() && source_[pos_ + 1] == c; }

    std::optional<Token> next() {
        const char c = source_[pos_];
        if (is_digit(c)) {
            return number();
        }
        if (is_letter(c)) {
            return name();
        }
        if (c == '"' || c == '\'') {
            return string();
        }
        switch (c) {
            case '(':
                return make(TokenKind::LeftParen, 1);
            case ')':
                return make(TokenKind::RightParen, 1);
            case '[':
                return make(TokenKind::LeftBracket, 1);
            case ']':
                return make(TokenKind::RightBracket, 1);
            case ',':
                return make(TokenKind::Comma, 1);
            case '+':
                return make(TokenKind::Plus, 1);
            case '-':
                return make(TokenKind::Minus, 1);
            case '*':
                return make(TokenKind::Star, 1);
            case '/':
                return make(TokenKind::Slash, 1);
            case '%':
                return make(TokenKind::Percent, 1);
            case '<':
                return next_is('=') ? make(TokenKind::LessEqual, 2) : make(TokenKind::Less, 1);
            case '>':
                return next_is('=') ? make(TokenKind::GreaterEqual, 2)
                                    : make(TokenKind::Greater, 1);
            case '!':
                return next_is('=') ? make(TokenKind::NotEqual, 2) : make(TokenKind::Not, 1);
            case '=':
                if (next_is('=')) {
                    return make(TokenKind::Equal, 2);
                }
                return fail(pos_, 1, "'=' is not a comparison; write '==' to test equality");
            case '&':
                if (next_is('&')) {
                    return make(TokenKind::And, 2);
                }
                return fail(pos_, 1, "unexpected character '&'; write 'and' or '&&'");
            case '|':
                if (next_is('|')) {
                    return make(TokenKind::Or, 2);
                }
                return fail(pos_, 1, "unexpected character '|'; write 'or' or '||'");
            case '.':
                if (pos_ + 1 < source_.size() && is_digit(source_[pos_ + 1])) {
                    return fail(pos_, 1, "a number needs a digit before its point: write '0.5'");
                }
                break;
            default:
                break;
        }
        return unexpected_character();
    }

    std::optional<Token> unexpected_character() {
        const std::size_t length = utf8_length(source_, pos_);
        if (length == 0) {
            return fail(pos_, 1,
                        fmt::format("unexpected byte 0x{:02x}, which is not valid UTF-8 text",
                                    static_cast<unsigned char>(source_[pos_])));
        }
        const std::string_view character = source_.substr(pos_, length);
        for (const auto& lookalike : kLookalikes) {
            if (character == lookalike.utf8) {
                return fail(pos_, length,
                            fmt::format("unexpected character '{}'; write {}", character,
                                        lookalike.replacement));
            }
        }
        const auto byte = static_cast<unsigned char>(character.front());
        if (length == 1 && (byte < 0x20 || byte == 0x7f)) {
            return fail(pos_, 1, fmt::format("unexpected control character 0x{:02x}", byte));
        }
        return fail(pos_, length, fmt::format("unexpected character '{}'", character));
    }

    std::optional<Token> number() {
        const std::size_t start = pos_;
        skip_digits();
        if (pos_ + 1 < source_.size() && source_[pos_] == '.' && is_digit(source_[pos_ + 1])) {
            ++pos_;
            skip_digits();
        }
        if (pos_ < source_.size() && (source_[pos_] == 'e' || source_[pos_] == 'E')) {
            std::size_t digits = pos_ + 1;
            if (digits < source_.size() && (source_[digits] == '+' || source_[digits] == '-')) {
                ++digits;
            }
            if (digits < source_.size() && is_digit(source_[digits])) {
                pos_ = digits;
                skip_digits();
            }
        }
        const std::string_view text = source_.substr(start, pos_ - start);
        if (pos_ < source_.size() && (is_letter(source_[pos_]) || source_[pos_] == '.')) {
            return duration_or_unit(text);
        }
        auto token = number_token(text);
        if (token && !unit_after(*token)) {
            return std::nullopt;
        }
        return token;
    }

    std::optional<Token> number_token(std::string_view text) {
        double value = 0.0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const auto start = static_cast<std::size_t>(text.data() - source_.data());
        if (ec != std::errc() || end != text.data() + text.size()) {
            return fail(start, text.size(), fmt::format("the number '{}' is out of range", text));
        }
        Token token{TokenKind::Number, start, text.size(), value, {}, {}, {}};
        return token;
    }

    // A number directly followed by letters: a duration such as 15min or 1h30min, a unit such as
    // 50kW, or a typo.
    std::optional<Token> duration_or_unit(std::string_view number) {
        const std::size_t start = pos_ - number.size();
        std::size_t end = pos_;
        while (end < source_.size() && is_name_char(source_[end])) {
            ++end;
        }
        const std::string_view text = source_.substr(start, end - start);
        if (const auto parsed = parse_duration(text)) {
            pos_ = end;
            return Token{TokenKind::Duration, start, text.size(), 0.0, *parsed, {}, {}};
        }
        const std::string_view word = source_.substr(pos_, unit_word_length(source_, pos_));
        if (const auto unit = find_unit(word); unit && !word.empty()) {
            auto token = number_token(number);
            pos_ += word.size();
            if (token) {
                token->unit = unit;
                token->length = pos_ - start;
            }
            return token;
        }
        if (const auto suggestion = unit_suggestion(word)) {
            return unknown_unit(pos_, word, *suggestion);
        }
        return fail(start, text.size(),
                    fmt::format("'{}' is neither a number nor a duration such as 90s, 15min, "
                                "2h or 1h30min",
                                text));
    }

    // A unit after a number and spaces, or directly after it when it does not start with a
    // letter: 28 Cel, 28°C, 80 %, 3 m3/h. False after an error.
    bool unit_after(Token& token) {
        std::size_t at = pos_;
        while (at < source_.size() && is_space(source_[at])) {
            ++at;
        }
        const bool lone_percent = at < source_.size() && source_[at] == '%' &&
                                  (at + 1 == source_.size() || !is_letter(source_[at + 1]));
        if (lone_percent && !percent_is_unit(source_, at)) {
            return true;  // the remainder, as in 7 % 3
        }
        const std::string_view word = source_.substr(at, unit_word_length(source_, at));
        if (word.empty() || is_keyword(word)) {
            return true;
        }
        if (const auto unit = find_unit(word)) {
            token.unit = unit;
            pos_ = at + word.size();
            token.length = pos_ - token.offset;
            return true;
        }
        const std::string_view number = source_.substr(token.offset, token.length);
        if (parse_duration(fmt::format("{}{}", number, word))) {
            fail(token.offset, at + word.size() - token.offset,
                 fmt::format("write a duration without a space, as '{}{}'", number, word));
            return false;
        }
        if (const auto suggestion = unit_suggestion(word)) {
            unknown_unit(at, word, *suggestion);
            return false;
        }
        return true;  // a name out of place, which the parser reports
    }

    std::nullopt_t unknown_unit(std::size_t offset, std::string_view word,
                                std::string_view suggestion) {
        error_ = ExprError{offset, word.size(), std::string(codes::kUnit),
                           fmt::format("unknown unit '{}'; did you mean '{}'?", word, suggestion)};
        return std::nullopt;
    }

    static bool is_keyword(std::string_view word) {
        return std::any_of(kKeywords.begin(), kKeywords.end(),
                           [&](const Keyword& keyword) { return keyword.text == word; });
    }

    void skip_digits() {
        while (pos_ < source_.size() && is_digit(source_[pos_])) {
            ++pos_;
        }
    }

    std::optional<Token> name() {
        const std::size_t start = pos_;
        while (pos_ < source_.size() && is_name_char(source_[pos_])) {
            ++pos_;
        }
        const std::string_view text = source_.substr(start, pos_ - start);
        if (text.back() == '.' || text.find("..") != std::string_view::npos) {
            return fail(start, text.size(),
                        fmt::format("'{}' is not a valid name; dots separate its parts, as in "
                                    "'entity.vulnerable'",
                                    text));
        }
        for (const auto& keyword : kKeywords) {
            if (text == keyword.text) {
                return Token{keyword.kind, start, text.size(), 0.0, {}, {}, {}};
            }
        }
        return Token{TokenKind::Name, start, text.size(), 0.0, {}, std::string(text), {}};
    }

    std::optional<Token> string() {
        const std::size_t start = pos_;
        const char quote = source_[pos_];
        std::string text;
        ++pos_;
        while (pos_ < source_.size() && source_[pos_] != quote) {
            if (source_[pos_] == '\\') {
                if (pos_ + 1 >= source_.size()) {
                    pos_ = source_.size();  // a final backslash escapes nothing: unterminated
                    break;
                }
                const char escaped = source_[pos_ + 1];
                if (escaped != '"' && escaped != '\'' && escaped != '\\') {
                    const std::size_t length =
                        std::max<std::size_t>(1, utf8_length(source_, pos_ + 1));
                    return fail(pos_, 1 + length,
                                fmt::format("unknown escape '\\{}' in a string; only \\\", \\' and "
                                            "\\\\ are allowed",
                                            source_.substr(pos_ + 1, length)));
                }
                text += escaped;
                pos_ += 2;
                continue;
            }
            text += source_[pos_];
            ++pos_;
        }
        if (pos_ >= source_.size()) {
            return fail(start, source_.size() - start,
                        fmt::format("this string has no closing {}", quote));
        }
        ++pos_;
        return Token{TokenKind::String, start, pos_ - start, 0.0, {}, std::move(text), {}};
    }

    std::string_view source_;
    std::size_t pos_ = 0;
    std::optional<ExprError> error_;
};

}  // namespace

ExprResult<std::vector<Token>> lex(std::string_view source) {
    return Lexer(source).run();
}

}  // namespace passerelle::rules::expr
