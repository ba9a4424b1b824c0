// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/json_scanner.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <system_error>

namespace passerelle::connectors::lorawan::detail {
namespace {

// A number without exponent and with fewer characters than this is below 1e300: finite, so
// only longer ones and those with an exponent are converted to check.
constexpr std::size_t kSurelyFiniteLength = 300;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// The four hex digits at `at` (after "\u"), or -1.
int code_unit(std::string_view text, std::size_t at) {
    if (at + 4 > text.size()) {
        return -1;
    }
    int unit = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
        const int digit = hex_value(text[i]);
        if (digit < 0) {
            return -1;
        }
        unit = unit * 16 + digit;
    }
    return unit;
}

bool is_high_surrogate(int unit) {
    return unit >= 0xD800 && unit <= 0xDBFF;
}
bool is_low_surrogate(int unit) {
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// The length of the UTF-8 sequence starting at `at` (its lead byte not ASCII), or 0 when it is
// not well-formed (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) -> unsigned {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U;
    };
    const auto in = [&](std::size_t i, unsigned low, unsigned high) {
        return byte(i) >= low && byte(i) <= high;
    };
    const unsigned lead = byte(at);
    if (lead >= 0xC2 && lead <= 0xDF) {
        return in(at + 1, 0x80, 0xBF) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned high = lead == 0xED ? 0x9F : 0xBF;
        return in(at + 1, low, high) && in(at + 2, 0x80, 0xBF) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
        return in(at + 1, low, high) && in(at + 2, 0x80, 0xBF) && in(at + 3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Where the run of bytes a string holds as they are (ASCII from 0x20, but '"' and '\\') that
// starts at `at` ends, eight bytes at a time; the last few bytes of the text are left to the
// byte-by-byte loop. Strings are most of an envelope's bytes.
std::size_t skip_plain(std::string_view text, std::size_t at) {
    constexpr std::uint64_t kOnes = 0x0101010101010101U;
    constexpr std::uint64_t kHigh = 0x8080808080808080U;
    while (at + 8 <= text.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + at, 8);
        const std::uint64_t quote = word ^ (kOnes * '"');
        const std::uint64_t backslash = word ^ (kOnes * '\\');
        // A zero byte in x sets the high bit of (x - 1) & ~x; a byte below 0x20 that of
        // (x - 0x20) & ~x; bytes from 0x80 have theirs already.
        const std::uint64_t special = ((quote - kOnes) & ~quote) |
                                      ((backslash - kOnes) & ~backslash) |
                                      ((word - kOnes * 0x20) & ~word) | word;
        if ((special & kHigh) != 0) {
            // Borrows can mark bytes after the first special one, never before it: the first
            // marked byte is the first special one.
            const auto marked = special & kHigh;
            const int bits = std::endian::native == std::endian::little ? std::countr_zero(marked)
                                                                        : std::countl_zero(marked);
            return at + static_cast<std::size_t>(bits / 8);
        }
        at += 8;
    }
    return at;
}

// Whether a number that does not fit a double (from_chars' out_of_range) is too large rather
// than too small: the power of ten of its first non-zero digit, plus its exponent, is positive.
// nlohmann refuses the first (strtod gives infinity) and reads the second as 0 or a subnormal.
bool overflows(std::string_view number) {
    std::size_t i = number.front() == '-' ? 1 : 0;
    long integer_digits = 0;
    long index = 0;  // over the digits, the point skipped
    long first = -1;
    bool fraction = false;
    for (; i < number.size() && number[i] != 'e' && number[i] != 'E'; ++i) {
        if (number[i] == '.') {
            fraction = true;
            continue;
        }
        integer_digits += fraction ? 0 : 1;
        if (number[i] != '0' && first < 0) {
            first = index;
        }
        ++index;
    }
    if (first < 0) {
        return false;  // zero fits
    }
    const long power = integer_digits - 1 - first;
    long exponent = 0;
    if (i < number.size()) {
        ++i;
        const bool negative = number[i] == '-';
        if (number[i] == '+' || number[i] == '-') {
            ++i;
        }
        for (; i < number.size(); ++i) {
            exponent = std::min(exponent * 10 + (number[i] - '0'), 1'000'000L);
        }
        exponent = negative ? -exponent : exponent;
    }
    return power + exponent > 0;
}

}  // namespace

double JsonNumber::as_double() const {
    switch (type) {
        case Type::Unsigned:
            return static_cast<double>(unsigned_value);
        case Type::Signed:
            return static_cast<double>(signed_value);
        case Type::Float:
            break;
    }
    return float_value;
}

std::optional<JsonNumber> parse_json_number(std::string_view text) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    JsonNumber number;
    if (text.find_first_of(".eE") == std::string_view::npos) {
        // nlohmann keeps integers that fit as integers and turns the others into doubles.
        if (!text.empty() && text.front() == '-') {
            const auto [next, error] = std::from_chars(begin, end, number.signed_value);
            if (error == std::errc{} && next == end) {
                number.type = JsonNumber::Type::Signed;
                return number;
            }
        } else {
            const auto [next, error] = std::from_chars(begin, end, number.unsigned_value);
            if (error == std::errc{} && next == end) {
                number.type = JsonNumber::Type::Unsigned;
                return number;
            }
        }
    }
    // Correctly rounded, as glibc's strtod that nlohmann calls; out_of_range for an overflow
    // (nlohmann refuses it) and for an underflow (it reads 0: left to it).
    const auto [next, error] = std::from_chars(begin, end, number.float_value);
    if (error != std::errc{} || next != end) {
        return std::nullopt;
    }
    number.type = JsonNumber::Type::Float;
    return number;
}

std::string unescape(const JsonToken& token) {
    const std::string_view text = token.text;
    if (!token.escaped) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        // The scanner checked every escape: a known letter, four hex digits, paired surrogates.
        const char letter = text[++i];
        switch (letter) {
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                auto code_point = static_cast<std::uint32_t>(code_unit(text, i + 1));
                i += 4;
                if (is_high_surrogate(static_cast<int>(code_point))) {
                    const auto low = static_cast<std::uint32_t>(code_unit(text, i + 3));
                    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                append_utf8(out, code_point);
                break;
            }
            default:  // '"', '\\', '/'
                out += letter;
                break;
        }
    }
    return out;
}

bool is_valid_json(std::string_view text, int max_depth) {
    JsonScanner scanner(text, max_depth);
    JsonToken token;
    return scanner.value(token) && scanner.finish();
}

JsonScanner::JsonScanner(std::string_view text, int max_depth)
    : text_(text), max_depth_(max_depth < kMaxDepth ? max_depth : kMaxDepth) {}

void JsonScanner::skip_space() {
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            return;
        }
        ++pos_;
    }
}

bool JsonScanner::at_object() {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == '{';
}

bool JsonScanner::at_array() {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == '[';
}

bool JsonScanner::enter() {
    if (depth_ >= max_depth_) {
        return false;
    }
    ++depth_;
    first_[static_cast<std::size_t>(depth_)] = true;
    return true;
}

bool JsonScanner::begin_object() {
    if (!at_object()) {
        return false;
    }
    ++pos_;
    return enter();
}

bool JsonScanner::begin_array() {
    if (!at_array()) {
        return false;
    }
    ++pos_;
    return enter();
}

JsonScanner::Step JsonScanner::next_item(char closer) {
    skip_space();
    if (pos_ >= text_.size() || depth_ == 0) {
        return Step::Invalid;
    }
    bool& first = first_[static_cast<std::size_t>(depth_)];
    if (text_[pos_] == closer) {
        ++pos_;
        --depth_;
        return Step::End;
    }
    if (!first) {
        if (text_[pos_] != ',') {
            return Step::Invalid;
        }
        ++pos_;
    }
    first = false;
    return Step::Item;
}

JsonScanner::Step JsonScanner::next_member(std::string_view& key) {
    const Step step = next_item('}');
    if (step != Step::Item) {
        return step;
    }
    skip_space();
    JsonToken name;
    if (pos_ >= text_.size() || text_[pos_] != '"' || !scan_string(name)) {
        return Step::Invalid;
    }
    if (name.escaped) {
        key_ = unescape(name);
        key = key_;
    } else {
        key = name.text;
    }
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != ':') {
        return Step::Invalid;
    }
    ++pos_;
    return Step::Item;
}

JsonScanner::Step JsonScanner::next_element() { return next_item(']'); }

bool JsonScanner::value(JsonToken& token) {
    skip_space();
    if (pos_ >= text_.size()) {
        return false;
    }
    switch (text_[pos_]) {
        case '"':
            return scan_string(token);
        case '{':
        case '[':
            return skip_container(token);
        case 't':
            return scan_literal("true", JsonKind::True, token);
        case 'f':
            return scan_literal("false", JsonKind::False, token);
        case 'n':
            return scan_literal("null", JsonKind::Null, token);
        default:
            return scan_number(token);
    }
}

bool JsonScanner::finish() {
    skip_space();
    return pos_ == text_.size() && depth_ == 0;
}

bool JsonScanner::scan_string(JsonToken& token) {
    const std::size_t start = ++pos_;  // after the opening quote
    bool escaped = false;
    while ((pos_ = skip_plain(text_, pos_)) < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"') {
            token = JsonToken{JsonKind::String, text_.substr(start, pos_ - start), escaped};
            ++pos_;
            return true;
        }
        if (c < 0x20) {  // control characters must be escaped
            return false;
        }
        if (c == '\\') {
            escaped = true;
            if (pos_ + 1 >= text_.size()) {
                return false;
            }
            const char letter = text_[pos_ + 1];
            if (letter == 'u') {
                const int unit = code_unit(text_, pos_ + 2);
                if (unit < 0 || is_low_surrogate(unit)) {
                    return false;
                }
                pos_ += 6;
                if (is_high_surrogate(unit)) {
                    if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u' ||
                        !is_low_surrogate(code_unit(text_, pos_ + 2))) {
                        return false;
                    }
                    pos_ += 6;
                }
                continue;
            }
            if (std::string_view("\"\\/bfnrt").find(letter) == std::string_view::npos) {
                return false;
            }
            pos_ += 2;
            continue;
        }
        if (c < 0x80) {
            ++pos_;
            continue;
        }
        const std::size_t length = utf8_length(text_, pos_);
        if (length == 0) {
            return false;
        }
        pos_ += length;
    }
    return false;  // no closing quote
}

bool JsonScanner::scan_number(JsonToken& token) {
    const std::size_t start = pos_;
    const auto digit_at = [&](std::size_t i) { return i < text_.size() && is_digit(text_[i]); };
    const auto skip_digits = [&] {
        while (digit_at(pos_)) {
            ++pos_;
        }
    };
    if (pos_ < text_.size() && text_[pos_] == '-') {
        ++pos_;
    }
    if (!digit_at(pos_)) {
        return false;
    }
    if (text_[pos_] == '0') {
        ++pos_;  // no leading zeros: "01" is "0" followed by garbage
    } else {
        skip_digits();
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        if (!digit_at(pos_)) {
            return false;
        }
        skip_digits();
    }
    bool exponent = false;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        exponent = true;
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
            ++pos_;
        }
        if (!digit_at(pos_)) {
            return false;
        }
        skip_digits();
    }
    token = JsonToken{JsonKind::Number, text_.substr(start, pos_ - start), false};
    // nlohmann refuses a number that overflows a double ("1e400"): anywhere in the document.
    if ((exponent || token.text.size() >= kSurelyFiniteLength) && !parse_json_number(token.text)) {
        return !overflows(token.text);
    }
    return true;
}

bool JsonScanner::scan_literal(std::string_view literal, JsonKind kind, JsonToken& token) {
    if (text_.substr(pos_, literal.size()) != literal) {
        return false;
    }
    token = JsonToken{kind, text_.substr(pos_, literal.size()), false};
    pos_ += literal.size();
    return true;
}

bool JsonScanner::skip_container(JsonToken& token) {
    const std::size_t start = pos_;
    const bool object = text_[pos_] == '{';
    if (object ? !begin_object() : !begin_array()) {
        return false;
    }
    JsonToken inner;
    while (true) {
        std::string_view key;
        const Step step = object ? next_member(key) : next_element();
        if (step == Step::Invalid) {
            return false;
        }
        if (step == Step::End) {
            break;
        }
        if (!value(inner)) {  // recursion bounded by max_depth_
            return false;
        }
    }
    token = JsonToken{object ? JsonKind::Object : JsonKind::Array,
                      text_.substr(start, pos_ - start), false};
    return true;
}

}  // namespace passerelle::connectors::lorawan::detail
