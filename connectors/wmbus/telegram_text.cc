// SPDX-License-Identifier: Apache-2.0
// The wmbusmeters form is reduced to plain hex of the same length, so that the hex parser's
// character positions stay those of the original text.
#include "connectors/wmbus/telegram_text.h"

#include <string>

#include "connectors/mbus/mbus_decoder.h"

namespace passerelle::connectors::wmbus {

Result<std::vector<std::uint8_t>> parse_telegram_text(std::string_view text) {
    constexpr std::string_view kPrefix = "telegram=|";
    const std::size_t start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos || text.substr(start, kPrefix.size()) != kPrefix) {
        return mbus::parse_hex(text);
    }
    const std::size_t hex_begin = start + kPrefix.size();
    const std::size_t hex_end = text.find('|', hex_begin);
    if (hex_end == std::string_view::npos) {
        return make_error("wmbus.bad-text", "telegram=| has no closing |");
    }
    std::string hex(text.size(), ' ');
    for (std::size_t i = hex_begin; i < hex_end; ++i) {
        hex[i] = text[i] == '_' ? ' ' : text[i];
    }
    return mbus::parse_hex(hex);
}

}  // namespace passerelle::connectors::wmbus
