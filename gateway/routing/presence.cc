// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/presence.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/routing/recipient_message.h"

namespace passerelle::routing {
namespace {

constexpr std::string_view kNotifyPrefix = "notify/";
constexpr std::string_view kLevel = "/presence";

// The one or two topic levels between notify/ and /presence, each non-empty.
std::optional<PresenceReport> receiver_of(std::string_view topic) {
    if (!topic.starts_with(kNotifyPrefix) || !topic.ends_with(kLevel) ||
        topic.size() <= kNotifyPrefix.size() + kLevel.size()) {
        return std::nullopt;
    }
    const auto middle =
        topic.substr(kNotifyPrefix.size(), topic.size() - kNotifyPrefix.size() - kLevel.size());
    PresenceReport report;
    const auto slash = middle.find('/');
    report.recipient = std::string(middle.substr(0, slash));
    if (slash != std::string_view::npos) {
        report.desk = std::string(middle.substr(slash + 1));
        if (report.desk.empty() || report.desk.find('/') != std::string::npos) {
            return std::nullopt;
        }
    }
    if (report.recipient.empty()) {
        return std::nullopt;
    }
    return report;
}

std::string state_of(std::string_view payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (json.is_string()) {
        return json.get<std::string>();
    }
    if (json.is_object()) {
        return text_field(json, "state");
    }
    return std::string(payload);
}

}  // namespace

std::string PresenceReport::receiver() const {
    return desk.empty() ? recipient : recipient + "/" + desk;
}

bool is_presence_topic(std::string_view topic) {
    return receiver_of(topic).has_value();
}

Result<PresenceReport> parse_presence(std::string_view topic, std::string_view payload) {
    auto report = receiver_of(topic);
    if (!report) {
        return make_error("presence.bad-topic",
                          fmt::format("'{}' is not a presence topic: notify/<recipient>/presence "
                                      "or notify/<recipient>/<desk>/presence",
                                      topic));
    }
    const std::string state = payload.empty() ? "offline" : state_of(payload);
    if (state != "online" && state != "offline") {
        return make_error("presence.bad-state",
                          "a presence is 'online' or 'offline' (as text, or as "
                          "{\"state\": \"online\"})");
    }
    report->online = state == "online";
    return std::move(*report);
}

}  // namespace passerelle::routing
