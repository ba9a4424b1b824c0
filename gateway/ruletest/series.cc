// SPDX-License-Identifier: Apache-2.0
// Parsing of the series notation; positions are kept so that a mistake points at its item.
#include "gateway/ruletest/series.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace passerelle::ruletest {
namespace {

const char* const kForms =
    "write a number (27), NxK (27x12), A+BxK (20+0.5x8), _ for no value, \"text\", true or false";

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

/// Reads `xK` (K ≥ 1) at the start of `suffix`; `offset` is the suffix's place in the series text.
std::optional<std::size_t> parse_count(std::string_view suffix, std::size_t offset,
                                       std::vector<SeriesError>& errors) {
    const std::string_view digits = suffix.substr(1);
    std::size_t count = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || count < 1) {
        errors.push_back({offset, suffix.size(),
                          fmt::format("the count after 'x' must be a whole number of at least 1, "
                                      "not '{}'",
                                      digits)});
        return std::nullopt;
    }
    return count;
}

/// A number at the start of `text`: how many bytes it took, or 0 when there is none.
std::size_t parse_number(std::string_view text, double& number) {
    if (text.empty() || text.front() == '+') {
        return 0;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || !std::isfinite(number)) {
        return 0;
    }
    return static_cast<std::size_t>(end - text.data());
}

class SeriesParser {
public:
    explicit SeriesParser(std::string_view text) : text_(text) {}

    ParsedSeries parse() {
        std::size_t pos = 0;
        while (pos < text_.size()) {
            if (is_space(text_[pos])) {
                ++pos;
                continue;
            }
            std::size_t end = pos;
            if (text_[pos] == '"') {
                const std::size_t close = text_.find('"', pos + 1);
                if (close == std::string_view::npos) {
                    error(pos, text_.size() - pos, "a string has no closing '\"'");
                    break;
                }
                end = close + 1;
            }
            while (end < text_.size() && !is_space(text_[end])) {
                ++end;
            }
            item(pos, end);
            if (result_.items.size() > kMaxSeriesItems) {
                result_.items.clear();
                error(pos, end - pos,
                      fmt::format("a series may hold at most {} values", kMaxSeriesItems));
                break;
            }
            pos = end;
        }
        if (result_.items.empty() && result_.errors.empty()) {
            error(0, 1, "a series needs at least one value");
        }
        return std::move(result_);
    }

private:
    void error(std::size_t offset, std::size_t length, std::string message) {
        result_.errors.push_back({offset, length, std::move(message)});
    }

    void not_a_value(std::size_t begin, std::size_t end) {
        error(begin, end - begin,
              fmt::format("'{}' is not a value; {}", text_.substr(begin, end - begin), kForms));
    }

    /// `value`, repeated by an optional `xK` suffix starting at `suffix_at`.
    void repeated(const SeriesItem& value, std::size_t begin, std::size_t suffix_at,
                  std::size_t end) {
        std::size_t count = 1;
        if (suffix_at < end) {
            if (text_[suffix_at] != 'x') {
                not_a_value(begin, end);
                return;
            }
            const auto parsed =
                parse_count(text_.substr(suffix_at, end - suffix_at), suffix_at, result_.errors);
            if (!parsed) {
                return;
            }
            count = *parsed;
        }
        if (count > kMaxSeriesItems) {
            count = kMaxSeriesItems + 1;  // reported by the caller, without allocating it all
        }
        result_.items.insert(result_.items.end(), count, value);
    }

    /// A word (`_`, `true`, `false`) with an optional `xK`; false when the item is not that word.
    bool word(std::string_view token, std::string_view name, const SeriesItem& value,
              std::size_t begin, std::size_t end) {
        if (!token.starts_with(name) || (token.size() > name.size() && token[name.size()] != 'x')) {
            return false;
        }
        repeated(value, begin, begin + name.size(), end);
        return true;
    }

    void item(std::size_t begin, std::size_t end) {
        const std::string_view token = text_.substr(begin, end - begin);
        if (token.front() == '"') {
            const std::size_t close = token.find('"', 1);
            repeated(Value(std::string(token.substr(1, close - 1))), begin, begin + close + 1, end);
            return;
        }
        if (word(token, "_", std::nullopt, begin, end) ||
            word(token, "true", Value(true), begin, end) ||
            word(token, "false", Value(false), begin, end)) {
            return;
        }
        double first = 0.0;
        const std::size_t taken = parse_number(token, first);
        if (taken == 0) {
            not_a_value(begin, end);
            return;
        }
        if (taken == token.size() || token[taken] == 'x') {
            repeated(Value(first), begin, begin + taken, end);
            return;
        }
        if (token[taken] != '+' && token[taken] != '-') {
            not_a_value(begin, end);
            return;
        }
        stepped(token, first, taken, begin, end);
    }

    /// `A+BxK` or `A-BxK`: K+1 values from A.
    void stepped(std::string_view token, double first, std::size_t sign_at, std::size_t begin,
                 std::size_t end) {
        double step = 0.0;
        const std::string_view after_sign = token.substr(sign_at + 1);
        const std::size_t taken = after_sign.starts_with('-') ? 0 : parse_number(after_sign, step);
        if (taken == 0) {
            not_a_value(begin, end);
            return;
        }
        const std::size_t suffix_at = sign_at + 1 + taken;
        if (suffix_at == token.size() || token[suffix_at] != 'x') {
            error(begin, end - begin,
                  fmt::format("'{}' needs a count of steps, as in 20+0.5x8", token));
            return;
        }
        const auto count = parse_count(token.substr(suffix_at), begin + suffix_at, result_.errors);
        if (!count) {
            return;
        }
        if (*count >= kMaxSeriesItems) {
            result_.items.resize(kMaxSeriesItems + 1);  // reported by the caller
            return;
        }
        const double signed_step = token[sign_at] == '-' ? -step : step;
        for (std::size_t i = 0; i <= *count; ++i) {
            // Multiplying rather than adding repeatedly keeps long series free of drift.
            result_.items.emplace_back(std::in_place, first + signed_step * static_cast<double>(i));
        }
    }

    std::string_view text_;
    ParsedSeries result_;
};

}  // namespace

ParsedSeries parse_series(std::string_view text) {
    return SeriesParser(text).parse();
}

}  // namespace passerelle::ruletest
