// SPDX-License-Identifier: Apache-2.0
// The fast path of The Things Stack v3 uplink messages: the fields tts.cc reads, taken from the
// text in one pass without a document, then checked by the same rules.
#include <utility>

#include "connectors/lorawan/envelopes/envelope_readers.h"
#include "connectors/lorawan/envelopes/json_fields.h"
#include "connectors/lorawan/envelopes/scanned_fields.h"

namespace passerelle::connectors::lorawan::detail {
namespace {

constexpr std::uint64_t kMaxUint32 = 0xffffffffU;
constexpr std::uint64_t kMaxFrequency = 10'000'000'000U;  // as tts.cc

struct RxTokens {
    JsonToken gateway_ids, gateway_id, eui, rssi, channel_rssi, snr, time;
};

// The members read, as written; evaluated once the whole text is known to be valid, since a
// member read only in the absence of another (channel_rssi) must not be judged before.
struct MessageTokens {
    JsonToken ids, device_id, application_ids, application_id, dev_eui, dev_addr, received_at;
    JsonToken up, f_port, f_cnt, frm_payload, decoded_payload, rx_metadata, up_received_at;
    JsonToken settings, frequency, data_rate, lora, spreading_factor, bandwidth;
    std::vector<RxTokens> rx;
};

void scan_identifiers(JsonScanner& scanner, MessageTokens& message) {
    scan_object_member(scanner, message.ids, [&](std::string_view key) {
        if (key == "device_id") {
            capture(scanner, message.device_id);
        } else if (key == "application_ids") {
            scan_object_member(scanner, message.application_ids, [&](std::string_view app) {
                if (app == "application_id") {
                    capture(scanner, message.application_id);
                } else {
                    take(scanner);
                }
            });
        } else if (key == "dev_eui") {
            capture(scanner, message.dev_eui);
        } else if (key == "dev_addr") {
            capture(scanner, message.dev_addr);
        } else {
            take(scanner);
        }
    });
}

void scan_rx_metadata(JsonScanner& scanner, MessageTokens& message) {
    scan_object_array(scanner, message.rx_metadata, [&](std::size_t) {
        if (message.rx.empty()) {
            message.rx.reserve(4);  // one allocation for the few gateways of an uplink
        }
        RxTokens& rx = message.rx.emplace_back();
        scan_members(scanner, [&](std::string_view key) {
            if (key == "gateway_ids") {
                scan_object_member(scanner, rx.gateway_ids, [&](std::string_view id) {
                    if (id == "gateway_id") {
                        capture(scanner, rx.gateway_id);
                    } else if (id == "eui") {
                        capture(scanner, rx.eui);
                    } else {
                        take(scanner);
                    }
                });
            } else if (key == "rssi") {
                capture(scanner, rx.rssi);
            } else if (key == "channel_rssi") {
                capture(scanner, rx.channel_rssi);
            } else if (key == "snr") {
                capture(scanner, rx.snr);
            } else if (key == "time") {
                capture(scanner, rx.time);
            } else {
                take(scanner);
            }
        });
    });
}

void scan_settings(JsonScanner& scanner, MessageTokens& message) {
    scan_object_member(scanner, message.settings, [&](std::string_view key) {
        if (key == "frequency") {
            capture(scanner, message.frequency);
        } else if (key == "data_rate") {
            scan_object_member(scanner, message.data_rate, [&](std::string_view rate) {
                if (rate != "lora") {
                    take(scanner);
                    return;
                }
                scan_object_member(scanner, message.lora, [&](std::string_view lora) {
                    if (lora == "spreading_factor") {
                        capture(scanner, message.spreading_factor);
                    } else if (lora == "bandwidth") {
                        capture(scanner, message.bandwidth);
                    } else {
                        take(scanner);
                    }
                });
            });
        } else {
            take(scanner);
        }
    });
}

void scan_uplink_message(JsonScanner& scanner, MessageTokens& message) {
    scan_object_member(scanner, message.up, [&](std::string_view key) {
        if (key == "f_port") {
            capture(scanner, message.f_port);
        } else if (key == "f_cnt") {
            capture(scanner, message.f_cnt);
        } else if (key == "frm_payload") {
            capture(scanner, message.frm_payload);
        } else if (key == "decoded_payload") {
            capture(scanner, message.decoded_payload);
        } else if (key == "rx_metadata") {
            scan_rx_metadata(scanner, message);
        } else if (key == "settings") {
            scan_settings(scanner, message);
        } else if (key == "received_at") {
            capture(scanner, message.up_received_at);
        } else {
            take(scanner);
        }
    });
}

Uplink scan(std::string_view text) {
    MessageTokens message;
    JsonScanner scanner(text, kMaxEnvelopeDepth);
    scan_members(scanner, [&](std::string_view key) {
        if (key == "end_device_ids") {
            scan_identifiers(scanner, message);
        } else if (key == "uplink_message") {
            scan_uplink_message(scanner, message);
        } else if (key == "received_at") {
            capture(scanner, message.received_at);
        } else {
            take(scanner);
        }
    });
    if (!scanner.finish()) {
        decline();
    }
    // What the DOM reader refuses: no identifiers or device id, no uplink_message.
    if (message.ids.kind != JsonKind::Object || message.up.kind != JsonKind::Object) {
        decline();
    }
    Uplink uplink;
    uplink.network_server = NetworkServer::TheThingsStack;
    std::optional<std::string> device_id = scanned_text(message.device_id);
    if (!device_id || device_id->empty()) {
        decline();
    }
    uplink.device_name = std::move(*device_id);
    uplink.application_id = scanned_text(message.application_id).value_or("");
    uplink.dev_eui = scanned_hex(message.dev_eui, 16).value_or("");
    uplink.dev_addr = scanned_hex(message.dev_addr, 8).value_or("");
    if (const auto port = scanned_unsigned(message.f_port, 255)) {
        uplink.f_port = static_cast<std::uint8_t>(*port);
    }
    uplink.f_cnt =
        static_cast<std::uint32_t>(scanned_unsigned(message.f_cnt, kMaxUint32).value_or(0));
    uplink.payload = scanned_base64(message.frm_payload);
    uplink.decoded = scanned_document(message.decoded_payload);
    uplink.gateways.reserve(message.rx.size());
    for (const RxTokens& rx : message.rx) {
        GatewayRx& gateway = uplink.gateways.emplace_back();
        gateway.gateway_id = scanned_text(rx.gateway_id).value_or("");
        gateway.gateway_eui = scanned_hex(rx.eui, 16).value_or("");
        gateway.rssi = scanned_number(rx.rssi);
        if (!gateway.rssi) {
            gateway.rssi = scanned_number(rx.channel_rssi);
        }
        gateway.snr = scanned_number(rx.snr);
        gateway.time = scanned_time(rx.time);
    }
    set_best_signal(uplink);
    uplink.frequency_hz = scanned_unsigned(message.frequency, kMaxFrequency);
    if (const auto sf = scanned_unsigned(message.spreading_factor, 12)) {
        uplink.spreading_factor = static_cast<int>(*sf);
    }
    if (const auto bandwidth = scanned_unsigned(message.bandwidth, kMaxUint32)) {
        uplink.bandwidth_hz = static_cast<std::uint32_t>(*bandwidth);
    }
    uplink.received = scanned_time(message.up_received_at);
    if (!uplink.received) {
        uplink.received = scanned_time(message.received_at);
    }
    return uplink;
}

}  // namespace

std::optional<Uplink> scan_tts_uplink(std::string_view json) {
    try {
        return scan(json);
    } catch (const Decline&) {
        return std::nullopt;
    }
}

}  // namespace passerelle::connectors::lorawan::detail
