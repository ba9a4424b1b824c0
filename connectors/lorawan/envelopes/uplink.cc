// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/uplink.h"

#include <cstdint>

#include <fmt/format.h>

namespace passerelle::connectors::lorawan {
namespace {

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// format_utc prints milliseconds at most; envelope times keep their microseconds.
nlohmann::json time_or_null(const std::optional<Timestamp>& time) {
    if (!time) {
        return nullptr;
    }
    const std::int64_t micros = time->time_since_epoch().count() % 1000000;
    if (micros == 0) {
        return format_utc(*time);
    }
    return fmt::format("{}.{:06}Z", format_utc(*time).substr(0, 19), micros);
}

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string_view network_server_name(NetworkServer server) {
    switch (server) {
        case NetworkServer::ChirpStack:
            return "chirpstack";
        case NetworkServer::TheThingsStack:
            return "ttn";
    }
    return "unknown";
}

void set_best_signal(Uplink& uplink) {
    for (const GatewayRx& rx : uplink.gateways) {
        if (rx.rssi && (!uplink.best_rssi || *rx.rssi > *uplink.best_rssi)) {
            uplink.best_rssi = rx.rssi;
        }
        if (rx.snr && (!uplink.best_snr || *rx.snr > *uplink.best_snr)) {
            uplink.best_snr = rx.snr;
        }
    }
}

nlohmann::json to_json(const Uplink& uplink) {
    std::string payload_hex;
    for (const std::uint8_t byte : uplink.payload) {
        payload_hex += fmt::format("{:02x}", byte);
    }
    nlohmann::json gateways = nlohmann::json::array();
    for (const GatewayRx& rx : uplink.gateways) {
        gateways.push_back({{"gateway_id", text_or_null(rx.gateway_id)},
                            {"gateway_eui", text_or_null(rx.gateway_eui)},
                            {"rssi", or_null(rx.rssi)},
                            {"snr", or_null(rx.snr)},
                            {"time", time_or_null(rx.time)}});
    }
    return {
        {"network_server", network_server_name(uplink.network_server)},
        {"dev_eui", text_or_null(uplink.dev_eui)},
        {"device_name", text_or_null(uplink.device_name)},
        {"application_id", text_or_null(uplink.application_id)},
        {"application_name", text_or_null(uplink.application_name)},
        {"dev_addr", text_or_null(uplink.dev_addr)},
        {"f_port", or_null(uplink.f_port)},
        {"f_cnt", uplink.f_cnt},
        {"payload_hex", payload_hex},
        {"decoded", uplink.decoded ? *uplink.decoded : nlohmann::json(nullptr)},
        {"gateways", gateways},
        {"best_rssi", or_null(uplink.best_rssi)},
        {"best_snr", or_null(uplink.best_snr)},
        {"frequency_hz", or_null(uplink.frequency_hz)},
        {"spreading_factor", or_null(uplink.spreading_factor)},
        {"bandwidth_hz", or_null(uplink.bandwidth_hz)},
        {"received", time_or_null(uplink.received)},
        {"tags", uplink.tags},
    };
}

}  // namespace passerelle::connectors::lorawan
