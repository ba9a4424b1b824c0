// SPDX-License-Identifier: Apache-2.0
// ChirpStack v4 `up` events (integration.proto UplinkEvent in protobuf's JSON mapping, camelCase).
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

GatewayRx read_rx(const json& rx, std::size_t index) {
    const std::string at = fmt::format("rxInfo[{}]", index);
    if (!rx.is_object()) {
        fail("lorawan.bad-field",
             fmt::format("'{}' must be an object, got {}", at, detail::describe(rx)));
    }
    GatewayRx gateway;
    gateway.gateway_id = detail::text_member(rx, "gatewayId", at + ".gatewayId").value_or("");
    gateway.rssi = detail::number_member(rx, "rssi", at + ".rssi");
    gateway.snr = detail::number_member(rx, "snr", at + ".snr");
    // gwTime only when the gateway has a GPS fix; nsTime is when the server received the frame.
    gateway.time = detail::time_member(rx, "gwTime", at + ".gwTime");
    if (!gateway.time) {
        gateway.time = detail::time_member(rx, "nsTime", at + ".nsTime");
    }
    return gateway;
}

void read_device_info(const json& info, Uplink& uplink) {
    const auto dev_eui = detail::hex_member(info, "devEui", "deviceInfo.devEui", 16);
    if (!dev_eui) {
        fail("lorawan.missing-field",
             "no 'deviceInfo.devEui': a ChirpStack uplink names its device by its DevEUI");
    }
    uplink.dev_eui = *dev_eui;
    uplink.device_name =
        detail::text_member(info, "deviceName", "deviceInfo.deviceName").value_or("");
    uplink.application_id =
        detail::text_member(info, "applicationId", "deviceInfo.applicationId").value_or("");
    uplink.application_name =
        detail::text_member(info, "applicationName", "deviceInfo.applicationName").value_or("");
    if (const json* tags = detail::object_member(info, "tags", "deviceInfo.tags")) {
        for (const auto& [key, value] : tags->items()) {
            uplink.tags[key] =
                detail::text_member(*tags, key, fmt::format("deviceInfo.tags.{}", key))
                    .value_or("");
        }
    }
}

void read_tx_info(const json& tx, Uplink& uplink) {
    uplink.frequency_hz = detail::unsigned_member(tx, "frequency", "txInfo.frequency", kMaxUint32);
    const json* modulation = detail::object_member(tx, "modulation", "txInfo.modulation");
    const json* lora = modulation == nullptr
                           ? nullptr
                           : detail::object_member(*modulation, "lora", "txInfo.modulation.lora");
    if (lora != nullptr) {
        if (const auto sf = detail::unsigned_member(*lora, "spreadingFactor",
                                                    "txInfo.modulation.lora.spreadingFactor", 12)) {
            uplink.spreading_factor = static_cast<int>(*sf);
        }
        if (const auto bandwidth = detail::unsigned_member(
                *lora, "bandwidth", "txInfo.modulation.lora.bandwidth", kMaxUint32)) {
            uplink.bandwidth_hz = static_cast<std::uint32_t>(*bandwidth);
        }
    }
}

Uplink read_uplink(const json& event) {
    const json* info = detail::object_member(event, "deviceInfo", "deviceInfo");
    if (info == nullptr) {
        // v3 put the device at the top level (devEUI, applicationID); v4 nests it in deviceInfo.
        if (event.contains("devEUI") || event.contains("applicationID")) {
            fail("lorawan.chirpstack-v3",
                 "ChirpStack v3 JSON ('devEUI'/'applicationID', no 'deviceInfo'): only the "
                 "ChirpStack v4 event format is read");
        }
        fail("lorawan.missing-field",
             "no 'deviceInfo': not a ChirpStack v4 event (every event names its device there)");
    }
    if (detail::member(event, "rxInfo") == nullptr && detail::member(event, "txInfo") == nullptr &&
        detail::member(event, "data") == nullptr) {
        fail("lorawan.not-uplink",
             "no 'rxInfo', 'txInfo' or 'data': a ChirpStack event other than an uplink (join, "
             "status, ack, log...)");
    }
    Uplink uplink;
    uplink.network_server = NetworkServer::ChirpStack;
    read_device_info(*info, uplink);
    uplink.dev_addr = detail::hex_member(event, "devAddr", "devAddr", 8).value_or("");
    if (const auto port = detail::unsigned_member(event, "fPort", "fPort", 255)) {
        uplink.f_port = static_cast<std::uint8_t>(*port);
    }
    uplink.f_cnt = static_cast<std::uint32_t>(
        detail::unsigned_member(event, "fCnt", "fCnt", kMaxUint32).value_or(0));
    if (const auto data = detail::text_member(event, "data", "data")) {
        auto bytes = decode_base64(*data, "data");
        if (!bytes) {
            throw detail::FieldError{bytes.error()};
        }
        uplink.payload = std::move(*bytes);
    }
    if (const json* object = detail::member(event, "object")) {
        uplink.decoded = *object;
    }
    if (const json* rx_info = detail::array_member(event, "rxInfo", "rxInfo")) {
        for (std::size_t i = 0; i < rx_info->size(); ++i) {
            uplink.gateways.push_back(read_rx((*rx_info)[i], i));
        }
    }
    set_best_signal(uplink);
    if (const json* tx = detail::object_member(event, "txInfo", "txInfo")) {
        read_tx_info(*tx, uplink);
    }
    uplink.received = detail::time_member(event, "time", "time");
    return uplink;
}

}  // namespace

namespace detail {

Result<Uplink> read_chirpstack_uplink(std::string_view text) {
    Result<json> event = parse_object(text);
    if (!event) {
        return event.error();
    }
    try {
        return read_uplink(*event);
    } catch (const FieldError& e) {
        return e.error;
    } catch (const json::exception& e) {  // not expected: every access above checks its type
        return make_error("lorawan.bad-json", e.what());
    }
}

}  // namespace detail
}  // namespace passerelle::connectors::lorawan
