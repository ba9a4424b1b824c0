// SPDX-License-Identifier: Apache-2.0
// Unit words after numbers: their extent, the two meanings of '%', and suggestions for typos.
#include "rules/expr/unit_words.h"

#include "gateway/core/spelling.h"
#include "gateway/core/units.h"
#include "rules/expr/units.h"

namespace passerelle::rules::expr {
namespace {

constexpr std::string_view kDegree = "\u00b0";
constexpr std::string_view kCubed = "\u00b3";

bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool at(std::string_view source, std::size_t pos, std::string_view text) {
    return source.substr(pos, text.size()) == text;
}
bool is_word_char(char c) {
    return is_ascii_letter(c) || is_digit(c) || c == '_' || c == '.';
}

}  // namespace

std::size_t unit_word_length(std::string_view source, std::size_t pos) {
    std::size_t end = pos;
    if (at(source, pos, kDegree)) {
        end += kDegree.size();
    } else if (at(source, pos, "%")) {
        ++end;
    } else if (pos >= source.size() || !is_ascii_letter(source[pos])) {
        return 0;
    }
    while (end < source.size()) {
        if (is_ascii_letter(source[end]) || is_digit(source[end])) {
            ++end;
        } else if (at(source, end, kDegree)) {
            end += kDegree.size();
        } else if (at(source, end, kCubed)) {
            end += kCubed.size();
        } else if (source[end] == '/' && end + 1 < source.size() &&
                   is_ascii_letter(source[end + 1])) {
            ++end;
        } else {
            break;
        }
    }
    return end - pos;
}

bool percent_is_unit(std::string_view source, std::size_t pos) {
    std::size_t next = pos + 1;
    while (next < source.size() && is_space(source[next])) {
        ++next;
    }
    if (next == source.size()) {
        return true;
    }
    const std::string_view rest = source.substr(next);
    for (const std::string_view follower : {")", "]", ",", "<", ">", "==", "!=", "&&", "||"}) {
        if (rest.starts_with(follower)) {
            return true;
        }
    }
    for (const std::string_view keyword : {"and", "or"}) {
        if (rest.starts_with(keyword) &&
            (rest.size() == keyword.size() || !is_word_char(rest[keyword.size()]))) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> unit_suggestion(std::string_view word) {
    if (auto hint = senml_unit_hint(word)) {
        // The registry's hint for m3/h explains a conversion conditions do themselves.
        if (find_unit(*hint)) {
            return hint;
        }
    }
    const auto spellings = unit_spellings();
    // Short words are suggested only for a difference of case ("kw"): one letter off "x" is
    // "K", which would be a guess, not a correction.
    if (word.size() < 3) {
        for (const auto& spelling : spellings) {
            if (spelling.size() == word.size() && edit_distance(word, spelling) == 0) {
                return spelling;
            }
        }
        return std::nullopt;
    }
    return closest_match(word, spellings);
}

}  // namespace passerelle::rules::expr
