// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/received_telegram.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/wmbus/telegram_text.h"

namespace passerelle::connectors::wmbus {
namespace {

Error envelope_error(std::string message) {
    return make_error("wmbus.bad-envelope", std::move(message));
}

std::optional<Timestamp> envelope_time(const nlohmann::json& time) {
    if (time.is_string()) {
        return parse_utc(time.get_ref<const std::string&>());
    }
    if (time.is_number()) {
        return timestamp_from_epoch_seconds(time.get<double>());
    }
    return std::nullopt;
}

Result<ReceivedTelegram> parse_envelope(std::string_view payload) {
    nlohmann::json envelope;
    try {
        envelope = nlohmann::json::parse(payload);
    } catch (const nlohmann::json::parse_error& error) {
        return envelope_error(
            fmt::format("not valid JSON at byte {}: {}", error.byte, error.what()));
    } catch (const nlohmann::json::exception& error) {
        // A number too large for a double (1e400) is out_of_range, not a parse error.
        return envelope_error(fmt::format("not valid JSON: {}", error.what()));
    }
    if (!envelope.is_object() || !envelope.contains("telegram") ||
        !envelope["telegram"].is_string()) {
        return envelope_error("the JSON object needs 'telegram', the telegram in hex");
    }
    auto bytes = parse_telegram_text(envelope["telegram"].get_ref<const std::string&>());
    if (!bytes) {
        return bytes.error();
    }
    ReceivedTelegram received{std::move(*bytes), std::nullopt, std::nullopt};
    if (envelope.contains("time")) {
        received.time = envelope_time(envelope["time"]);
        if (!received.time) {
            return envelope_error(
                "'time' must be a UTC time such as 2026-07-14T10:00:00Z or epoch seconds");
        }
    }
    if (envelope.contains("rssi_dbm")) {
        if (!envelope["rssi_dbm"].is_number()) {
            return envelope_error("'rssi_dbm' must be a number");
        }
        received.rssi_dbm = envelope["rssi_dbm"].get<double>();
    }
    return received;
}

}  // namespace

Result<ReceivedTelegram> parse_received_telegram(std::string_view payload) {
    const auto first = payload.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && payload[first] == '{') {
        return parse_envelope(payload);
    }
    auto bytes = parse_telegram_text(payload);
    if (!bytes) {
        return bytes.error();
    }
    return ReceivedTelegram{std::move(*bytes), std::nullopt, std::nullopt};
}

}  // namespace passerelle::connectors::wmbus
