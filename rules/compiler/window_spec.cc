// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/window_spec.h"

#include <array>
#include <charconv>

namespace passerelle::rules {
namespace {

constexpr std::array<std::string_view, 8> kNames{"avg",   "min",   "max",  "sum",
                                                 "count", "delta", "rate", "age"};

// "HH:MM" with 00 <= HH <= 24 (24:00 only as an end), in minutes since midnight.
std::optional<int> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    int hours = 0;
    int minutes = 0;
    const auto h = std::from_chars(text.data(), text.data() + 2, hours);
    const auto m = std::from_chars(text.data() + 3, text.data() + 5, minutes);
    if (h.ec != std::errc() || h.ptr != text.data() + 2 || m.ec != std::errc() ||
        m.ptr != text.data() + 5 || hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
        return std::nullopt;
    }
    return hours * 60 + minutes;
}

}  // namespace

std::string_view to_string(WindowKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::optional<WindowKind> window_kind(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<WindowKind>(i);
        }
    }
    return std::nullopt;
}

std::optional<DayRange> parse_day_range(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto from = parse_clock(text.substr(0, dash));
    const auto to = parse_clock(text.substr(dash + 1));
    if (!from || !to || *from == *to || *from == 24 * 60) {
        return std::nullopt;
    }
    return DayRange{*from, *to == 24 * 60 ? 0 : *to};
}

std::string_view series_topic(const WindowSpec& spec, std::string_view reading_topic,
                              std::string& scratch) {
    if (!spec.topic.empty()) {
        return spec.topic;
    }
    if (spec.quantity.empty()) {
        return reading_topic;
    }
    scratch.assign(reading_topic.substr(0, reading_topic.rfind('/') + 1));
    scratch += spec.quantity;
    return scratch;
}

}  // namespace passerelle::rules
