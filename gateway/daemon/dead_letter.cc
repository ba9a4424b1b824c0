// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/dead_letter.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace passerelle::daemon {
namespace {

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        if (byte < 0x80) {
            extra = 0;
        } else if ((byte & 0xE0) == 0xC0 && byte >= 0xC2) {
            extra = 1;
        } else if ((byte & 0xF0) == 0xE0) {
            extra = 2;
        } else if ((byte & 0xF8) == 0xF0 && byte <= 0xF4) {
            extra = 3;
        } else {
            return false;
        }
        if (i + extra >= text.size() && extra > 0) {
            return false;  // the sequence is cut short
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

// Cuts at a character boundary so the excerpt of valid UTF-8 stays valid.
std::string_view excerpt(std::string_view payload) {
    if (payload.size() <= kDeadLetterExcerptBytes) {
        return payload;
    }
    std::size_t end = kDeadLetterExcerptBytes;
    while (end > 0 && (static_cast<unsigned char>(payload[end]) & 0xC0) == 0x80) {
        --end;
    }
    return payload.substr(0, end);
}

}  // namespace

std::string dead_letter_payload(std::string_view topic, std::string_view code,
                                std::string_view reason, std::string_view payload, Timestamp now) {
    nlohmann::json body = {
        {"reason", reason},
        {"code", code},
        {"payload_bytes", payload.size()},
        {"ts", format_utc(now)},
    };
    const std::string_view part = excerpt(payload);
    if (is_valid_utf8(part)) {
        body["payload"] = part;
    } else {
        std::string hex;
        for (const char c : part.substr(0, kDeadLetterExcerptBytes / 2)) {
            hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
        }
        body["payload_hex"] = hex;
    }
    body["topic"] = std::string(topic);
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace passerelle::daemon
