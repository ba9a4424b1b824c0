// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/recipient_message.h"

#include <algorithm>

namespace passerelle::routing {

std::optional<std::string> recipient_of(std::string_view topic, std::string_view level) {
    constexpr std::string_view kPrefix = "notify/";
    if (!topic.starts_with(kPrefix) || topic.size() <= kPrefix.size() + level.size() + 1 ||
        !topic.ends_with(level) || topic[topic.size() - level.size() - 1] != '/') {
        return std::nullopt;
    }
    const auto recipient =
        topic.substr(kPrefix.size(), topic.size() - kPrefix.size() - level.size() - 1);
    if (recipient.empty() || recipient.find('/') != std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(recipient);
}

bool is_hex_id(std::string_view id) {
    return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string text_field(const nlohmann::json& body, const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace passerelle::routing
