// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/acknowledgement.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/routing/recipient_message.h"

namespace passerelle::routing {
namespace {

constexpr std::size_t kMaxAuthor = 200;
constexpr std::size_t kMaxComment = 2000;

}  // namespace

std::optional<std::string> acknowledgement_recipient(std::string_view topic) {
    return recipient_of(topic, "ack");
}

Result<Acknowledgement> parse_acknowledgement(std::string_view topic, std::string_view payload) {
    auto recipient = acknowledgement_recipient(topic);
    if (!recipient) {
        return make_error(
            "ack.bad-topic",
            fmt::format("'{}' is not an acknowledgement topic: notify/<recipient>/ack", topic));
    }
    const auto body = nlohmann::json::parse(payload, nullptr, false);
    if (!body.is_object()) {
        return make_error("ack.bad-json",
                          "an acknowledgement is a JSON object: {\"id\": \"<the notice's id>\", "
                          "\"by\": \"<who>\", \"comment\": \"<optional>\"}");
    }
    Acknowledgement ack{std::move(*recipient), text_field(body, "id"), text_field(body, "by"),
                        text_field(body, "comment")};
    if (!is_hex_id(ack.id)) {
        return make_error("ack.bad-id",
                          "'id' must be the 16 hexadecimal digits of the notice's (or an alert's) "
                          "id, as its JSON gives it");
    }
    if (ack.by.empty()) {
        return make_error("ack.no-author", "'by' must say who takes charge of the alert");
    }
    if (ack.by.size() > kMaxAuthor || ack.comment.size() > kMaxComment) {
        return make_error(
            "ack.too-long",
            fmt::format("'by' holds at most {} bytes and 'comment' {}", kMaxAuthor, kMaxComment));
    }
    return ack;
}

}  // namespace passerelle::routing
