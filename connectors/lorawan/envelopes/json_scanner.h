// SPDX-License-Identifier: Apache-2.0
// A strict, allocation-free JSON reader that walks a document in place, for the envelope fast
// path: the caller descends into the members it wants and the scanner validates everything else
// as it skips it. It accepts only what nlohmann::json::parse accepts (RFC 8259, UTF-8 checked,
// \u escapes with their surrogate pairs, no number that overflows a double). It refuses the few
// texts nlohmann reads beyond the grammar (a leading byte order mark, anything after a NUL byte
// that follows the value), so a refusal means "let nlohmann decide and word the error".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle::connectors::lorawan::detail {

enum class JsonKind : std::uint8_t { Absent, Null, False, True, Number, String, Object, Array };

/// One value as it stands in the text: a string without its quotes and with its escapes, a
/// number or literal as written, an object or array from bracket to bracket.
struct JsonToken {
    JsonKind kind = JsonKind::Absent;
    std::string_view text;
    bool escaped = false;  // a string holding backslash escapes: unescape() before use
};

/// A number as nlohmann stores it: an integer without fraction or exponent that fits an unsigned
/// (non-negative) or a signed (negative) 64-bit integer, else a double.
struct JsonNumber {
    enum class Type : std::uint8_t { Unsigned, Signed, Float } type = Type::Float;
    std::uint64_t unsigned_value = 0;
    std::int64_t signed_value = 0;
    double float_value = 0.0;

    /// What nlohmann's get<double>() gives.
    double as_double() const;
};

/// Parses a number token's text; nothing when it overflows or underflows a double.
std::optional<JsonNumber> parse_json_number(std::string_view text);

/// A string token's value: escapes resolved, \u escapes written as UTF-8.
std::string unescape(const JsonToken& token);

/// Whether `text` is one JSON value, nested no deeper than `max_depth`, that the scanner accepts.
bool is_valid_json(std::string_view text, int max_depth);

class JsonScanner {
public:
    /// Containers deeper than `max_depth` (at most kMaxDepth) are refused.
    JsonScanner(std::string_view text, int max_depth);

    static constexpr int kMaxDepth = 64;

    enum class Step : std::uint8_t { Item, End, Invalid };

    /// Whether the next value is an object / an array (without consuming it).
    bool at_object();
    bool at_array();
    /// Consumes '{' or '['.
    bool begin_object();
    bool begin_array();
    /// The next member of the innermost object: Item with its key (escapes resolved, valid until
    /// the next call), its ':' consumed, or End after its '}'.
    Step next_member(std::string_view& key);
    /// The next element of the innermost array: Item before it, or End after its ']'.
    Step next_element();
    /// Scans and validates one whole value.
    bool value(JsonToken& token);
    /// Whether only whitespace is left.
    bool finish();

private:
    /// What next_member and next_element share: the container's end at `closer`, or the comma
    /// before any item but the first.
    Step next_item(char closer);
    void skip_space();
    bool scan_string(JsonToken& token);
    bool scan_number(JsonToken& token);
    bool scan_literal(std::string_view literal, JsonKind kind, JsonToken& token);
    bool skip_container(JsonToken& token);
    bool enter();

    std::string_view text_;
    std::size_t pos_ = 0;
    int max_depth_;
    int depth_ = 0;
    std::array<bool, kMaxDepth + 1> first_{};  // per depth: no member/element read yet
    std::string key_;                          // an escaped key, resolved
};

}  // namespace passerelle::connectors::lorawan::detail
