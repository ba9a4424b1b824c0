// SPDX-License-Identifier: Apache-2.0
// What a radio receiver publishes on MQTT for one telegram it heard.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::wmbus {

struct ReceivedTelegram {
    std::vector<std::uint8_t> bytes;
    std::optional<Timestamp> time;   // when the receiver heard it, if it says
    std::optional<double> rssi_dbm;  // the signal strength, if it says
};

/// One MQTT payload: the telegram in hex, or in wmbusmeters' log form `telegram=|…|+32`, or a JSON
/// object {"telegram": <either form>, "time": "2026-07-14T10:00:00Z" or epoch seconds,
/// "rssi_dbm": -71}, of which only "telegram" is required. Errors: those of parse_telegram_text,
/// and wmbus.bad-envelope: "not valid JSON at byte 12: …", "the JSON object needs 'telegram', the
/// telegram in hex", "'time' must be a UTC time such as 2026-07-14T10:00:00Z or epoch seconds",
/// "'rssi_dbm' must be a number".
Result<ReceivedTelegram> parse_received_telegram(std::string_view payload);

}  // namespace passerelle::connectors::wmbus
