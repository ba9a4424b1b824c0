// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/silence.h"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/core/unix_micros.h"
#include "gateway/routing/recipient_message.h"
#include "rules/engine/alert_event.h"

namespace passerelle::routing {
namespace {

constexpr std::size_t kMaxText = 2000;

Result<Timestamp> read_end(const nlohmann::json& body, Timestamp now) {
    const std::string for_text = text_field(body, "for");
    const std::string until_text = text_field(body, "until");
    std::optional<Timestamp> ends;
    if (!for_text.empty() && until_text.empty()) {
        if (const auto length = parse_duration(for_text)) {
            ends = now + *length;
        }
    } else if (for_text.empty() && !until_text.empty()) {
        ends = parse_utc(until_text);
    }
    if (!ends || *ends <= now || *ends - now > kMaxSilence) {
        return make_error("silence.bad-end",
                          "a silence ends: 'for' a duration (\"3d\", \"2h30min\") or 'until' a "
                          "time (\"2026-07-20T18:00:00Z\"), one of them, after now and within "
                          "31 days");
    }
    return *ends;
}

}  // namespace

bool Silence::covers(const std::string& alert_recipient, const AlertLabels& labels) const {
    if (alert_recipient != recipient) {
        return false;
    }
    return std::all_of(matchers.begin(), matchers.end(), [&](const auto& wanted) {
        const auto it = labels.find(wanted.first);
        return it != labels.end() && it->second == wanted.second;
    });
}

std::optional<std::string> silence_recipient(std::string_view topic) {
    return recipient_of(topic, "silence");
}

Result<SilenceRequest> parse_silence_request(std::string_view topic, std::string_view payload,
                                             Timestamp now) {
    auto recipient = silence_recipient(topic);
    if (!recipient) {
        return make_error(
            "silence.bad-topic",
            fmt::format("'{}' is not a silence topic: notify/<recipient>/silence", topic));
    }
    const auto body = nlohmann::json::parse(payload, nullptr, false);
    if (!body.is_object()) {
        return make_error("silence.bad-json",
                          "a silence is a JSON object: {\"matchers\": {\"building\": \"…\"}, "
                          "\"for\": \"3d\", \"author\": \"…\", \"reason\": \"…\"}, or "
                          "{\"expire\": \"<id>\", \"author\": \"…\"}");
    }
    SilenceRequest request;
    request.author = text_field(body, "author");
    if (request.author.empty()) {
        return make_error("silence.no-author", "'author' must say who silences");
    }
    if (body.contains("expire")) {
        request.expire = text_field(body, "expire");
        if (!is_hex_id(request.expire)) {
            return make_error("silence.bad-id",
                              "'expire' must be the 16 hexadecimal digits of a silence's id");
        }
        return request;
    }
    Silence silence;
    silence.recipient = std::move(*recipient);
    silence.author = request.author;
    silence.reason = text_field(body, "reason");
    silence.starts = now;
    const auto matchers = body.find("matchers");
    if (matchers != body.end() && matchers->is_object()) {
        for (const auto& [label, value] : matchers->items()) {
            if (!value.is_string() || value.get<std::string>().empty()) {
                return make_error(
                    "silence.no-matcher",
                    fmt::format("matcher '{}' must be a label's value, as text", label));
            }
            silence.matchers[label] = value.get<std::string>();
        }
    }
    if (silence.matchers.empty()) {
        return make_error("silence.no-matcher",
                          "'matchers' must name at least one label and its value, e.g. "
                          "{\"building\": \"hs-bat-a\"}: a silence of everything is not allowed");
    }
    if (silence.reason.empty()) {
        return make_error("silence.no-reason", "'reason' must say why the alerts are silenced");
    }
    if (silence.author.size() > kMaxText || silence.reason.size() > kMaxText) {
        return make_error("silence.too-long",
                          fmt::format("'author' and 'reason' hold at most {} bytes", kMaxText));
    }
    auto ends = read_end(body, now);
    if (!ends) {
        return ends.error();
    }
    silence.ends = *ends;
    silence.id = rules::make_alert_id(
        "silence", silence.recipient + nlohmann::json(silence.matchers).dump(), now);
    request.add = std::move(silence);
    return request;
}

nlohmann::json to_json(const Silence& silence) {
    return {{"id", silence.id},
            {"recipient", silence.recipient},
            {"matchers", silence.matchers},
            {"starts_us", to_unix_micros(silence.starts)},
            {"ends_us", to_unix_micros(silence.ends)},
            {"author", silence.author},
            {"reason", silence.reason}};
}

std::optional<Silence> silence_from_json(const nlohmann::json& json) {
    try {
        return Silence{json.at("id").get<std::string>(),
                       json.at("recipient").get<std::string>(),
                       json.at("matchers").get<AlertLabels>(),
                       Timestamp(Duration(json.at("starts_us").get<std::int64_t>())),
                       Timestamp(Duration(json.at("ends_us").get<std::int64_t>())),
                       json.at("author").get<std::string>(),
                       json.at("reason").get<std::string>()};
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace passerelle::routing
