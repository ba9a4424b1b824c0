// SPDX-License-Identifier: Apache-2.0
// The Things Stack v3 application messages (ApplicationUp in protobuf's JSON mapping, with the
// original snake_case field names).
#include <array>
#include <string>

#include <fmt/format.h>

#include "connectors/lorawan/envelopes/base64.h"
#include "connectors/lorawan/envelopes/envelope_readers.h"
#include "connectors/lorawan/envelopes/json_fields.h"

namespace passerelle::connectors::lorawan {
namespace {

using detail::fail;
using nlohmann::json;

constexpr std::uint64_t kMaxUint32 = 0xffffffffU;
constexpr std::uint64_t kMaxFrequency = 10'000'000'000U;  // 10 GHz: above any LoRa band

// The other ApplicationUp messages, to name what a message is when it is no uplink.
constexpr auto kOtherMessages = std::to_array<std::string_view>({
    "join_accept",
    "downlink_ack",
    "downlink_nack",
    "downlink_sent",
    "downlink_failed",
    "downlink_queued",
    "downlink_queue_invalidated",
    "location_solved",
    "service_data",
    "uplink_normalized",
});

GatewayRx read_rx(const json& rx, std::size_t index) {
    const std::string at = fmt::format("uplink_message.rx_metadata[{}]", index);
    if (!rx.is_object()) {
        fail("lorawan.bad-field",
             fmt::format("'{}' must be an object, got {}", at, detail::describe(rx)));
    }
    GatewayRx gateway;
    if (const json* ids = detail::object_member(rx, "gateway_ids", at + ".gateway_ids")) {
        gateway.gateway_id =
            detail::text_member(*ids, "gateway_id", at + ".gateway_ids.gateway_id").value_or("");
        gateway.gateway_eui =
            detail::hex_member(*ids, "eui", at + ".gateway_ids.eui", 16).value_or("");
    }
    gateway.rssi = detail::number_member(rx, "rssi", at + ".rssi");
    if (!gateway.rssi) {
        gateway.rssi = detail::number_member(rx, "channel_rssi", at + ".channel_rssi");
    }
    gateway.snr = detail::number_member(rx, "snr", at + ".snr");
    gateway.time = detail::time_member(rx, "time", at + ".time");
    return gateway;
}

void read_settings(const json& settings, Uplink& uplink) {
    const std::string at = "uplink_message.settings";
    uplink.frequency_hz =
        detail::unsigned_member(settings, "frequency", at + ".frequency", kMaxFrequency);
    const json* data_rate = detail::object_member(settings, "data_rate", at + ".data_rate");
    const json* lora = data_rate == nullptr
                           ? nullptr
                           : detail::object_member(*data_rate, "lora", at + ".data_rate.lora");
    if (lora != nullptr) {
        if (const auto sf = detail::unsigned_member(*lora, "spreading_factor",
                                                    at + ".data_rate.lora.spreading_factor", 12)) {
            uplink.spreading_factor = static_cast<int>(*sf);
        }
        if (const auto bandwidth = detail::unsigned_member(
                *lora, "bandwidth", at + ".data_rate.lora.bandwidth", kMaxUint32)) {
            uplink.bandwidth_hz = static_cast<std::uint32_t>(*bandwidth);
        }
    }
}

void read_identifiers(const json& message, Uplink& uplink) {
    const json* ids = detail::object_member(message, "end_device_ids", "end_device_ids");
    if (ids == nullptr) {
        fail("lorawan.missing-field",
             "no 'end_device_ids': every The Things Stack message names its device there");
    }
    const auto device_id = detail::text_member(*ids, "device_id", "end_device_ids.device_id");
    if (!device_id || device_id->empty()) {
        fail("lorawan.missing-field",
             "no 'end_device_ids.device_id': every The Things Stack message names its device");
    }
    uplink.device_name = *device_id;
    if (const json* app =
            detail::object_member(*ids, "application_ids", "end_device_ids.application_ids")) {
        uplink.application_id = detail::text_member(*app, "application_id",
                                                    "end_device_ids.application_ids.application_id")
                                    .value_or("");
    }
    // An ABP device registered without a DevEUI has none.
    uplink.dev_eui = detail::hex_member(*ids, "dev_eui", "end_device_ids.dev_eui", 16).value_or("");
    uplink.dev_addr =
        detail::hex_member(*ids, "dev_addr", "end_device_ids.dev_addr", 8).value_or("");
}

Uplink read_uplink(const json& message) {
    Uplink uplink;
    uplink.network_server = NetworkServer::TheThingsStack;
    read_identifiers(message, uplink);
    const json* up = detail::object_member(message, "uplink_message", "uplink_message");
    if (up == nullptr) {
        for (const std::string_view kind : kOtherMessages) {
            if (message.contains(kind)) {
                fail("lorawan.not-uplink",
                     fmt::format("no 'uplink_message': this The Things Stack message is a '{}'",
                                 kind));
            }
        }
        fail("lorawan.not-uplink",
             "no 'uplink_message': this The Things Stack message is not an uplink");
    }
    const std::string at = "uplink_message";
    if (const auto port = detail::unsigned_member(*up, "f_port", at + ".f_port", 255)) {
        uplink.f_port = static_cast<std::uint8_t>(*port);
    }
    uplink.f_cnt = static_cast<std::uint32_t>(
        detail::unsigned_member(*up, "f_cnt", at + ".f_cnt", kMaxUint32).value_or(0));
    if (const auto payload = detail::text_member(*up, "frm_payload", at + ".frm_payload")) {
        auto bytes = decode_base64(*payload, at + ".frm_payload");
        if (!bytes) {
            throw detail::FieldError{bytes.error()};
        }
        uplink.payload = std::move(*bytes);
    }
    if (const json* decoded = detail::member(*up, "decoded_payload")) {
        uplink.decoded = *decoded;
    }
    if (const json* rx_metadata = detail::array_member(*up, "rx_metadata", at + ".rx_metadata")) {
        for (std::size_t i = 0; i < rx_metadata->size(); ++i) {
            uplink.gateways.push_back(read_rx((*rx_metadata)[i], i));
        }
    }
    set_best_signal(uplink);
    if (const json* settings = detail::object_member(*up, "settings", at + ".settings")) {
        read_settings(*settings, uplink);
    }
    // The Network Server's reception time; the top-level one is the Application Server's, later.
    uplink.received = detail::time_member(*up, "received_at", at + ".received_at");
    if (!uplink.received) {
        uplink.received = detail::time_member(message, "received_at", "received_at");
    }
    return uplink;
}

}  // namespace

namespace detail {

Result<Uplink> read_tts_uplink(std::string_view text) {
    Result<json> message = parse_object(text);
    if (!message) {
        return message.error();
    }
    try {
        return read_uplink(*message);
    } catch (const FieldError& e) {
        return e.error;
    } catch (const json::exception& e) {  // not expected: every access above checks its type
        return make_error("lorawan.bad-json", e.what());
    }
}

}  // namespace detail
}  // namespace passerelle::connectors::lorawan
