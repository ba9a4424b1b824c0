// SPDX-License-Identifier: Apache-2.0
// One LoRaWAN uplink as a network server hands it to applications, whichever server it came
// from: who sent it, its frame counter and port, its payload, and how well the gateways heard it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/time.h"

namespace passerelle::connectors::lorawan {

enum class NetworkServer {
    ChirpStack,      // ChirpStack v4, MQTT integration, JSON encoding
    TheThingsStack,  // The Things Stack v3 (The Things Network included), MQTT or webhook JSON
};

/// "chirpstack" or "ttn": the name in decode output and docs.
std::string_view network_server_name(NetworkServer server);

/// How one gateway heard the uplink.
struct GatewayRx {
    std::string gateway_id;         // ChirpStack `gatewayId` (an EUI), TTS `gateway_ids.gateway_id`
    std::string gateway_eui;        // TTS `gateway_ids.eui`, lower case; empty for ChirpStack
    std::optional<double> rssi;     // dBm
    std::optional<double> snr;      // dB
    std::optional<Timestamp> time;  // ChirpStack `gwTime` (else `nsTime`), TTS `time`
};

struct Uplink {
    NetworkServer network_server = NetworkServer::ChirpStack;
    std::string dev_eui;      // 16 lower-case hex digits; empty only for a TTS device without one
    std::string device_name;  // ChirpStack `deviceName`, TTS `device_id`
    std::string application_id;    // ChirpStack `applicationId` (a UUID), TTS `application_id`
    std::string application_name;  // ChirpStack `applicationName`; empty for TTS
    std::string dev_addr;          // lower-case hex, empty when absent
    /// Absent from the message. Both servers omit zero values, so for them this is port 0 (MAC
    /// commands only); kept apart because TTS's own documented example omits it beside a payload.
    std::optional<std::uint8_t> f_port;
    std::uint32_t f_cnt = 0;            // absent means 0: zero values are omitted
    std::vector<std::uint8_t> payload;  // FRMPayload, decrypted by the server
    /// The server's codec output (ChirpStack `object`, TTS `decoded_payload`), when it ran one.
    std::optional<nlohmann::json> decoded;
    std::vector<GatewayRx> gateways;  // in the message's order
    std::optional<double> best_rssi;  // the highest over the gateways
    std::optional<double> best_snr;   // the highest over the gateways (may be another gateway)
    std::optional<std::uint64_t> frequency_hz;
    std::optional<int> spreading_factor;  // LoRa modulation only
    std::optional<std::uint32_t> bandwidth_hz;
    std::optional<Timestamp> received;        // ChirpStack `time`; TTS `uplink_message.received_at`
    std::map<std::string, std::string> tags;  // ChirpStack `deviceInfo.tags`
};

/// Sets best_rssi and best_snr from the gateways' values (the parsers call it).
void set_best_signal(Uplink& uplink);

/// The `passerelle decode` form of an uplink: {"network_server":"chirpstack","dev_eui":...,
/// "f_port":1,"f_cnt":0,"payload_hex":"aa","decoded":null,"gateways":[{...}],"best_rssi":-36,
/// "received":"2022-07-18T09:34:15.775Z",...}; absent values are null.
nlohmann::json to_json(const Uplink& uplink);

}  // namespace passerelle::connectors::lorawan
