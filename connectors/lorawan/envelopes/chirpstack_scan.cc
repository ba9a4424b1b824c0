// SPDX-License-Identifier: Apache-2.0
// The fast path of ChirpStack v4 `up` events: the fields chirpstack.cc reads, taken from the text
// in one pass without a document, then checked by the same rules.
#include <utility>

#include "connectors/lorawan/envelopes/envelope_readers.h"
#include "connectors/lorawan/envelopes/json_fields.h"
#include "connectors/lorawan/envelopes/scanned_fields.h"

namespace passerelle::connectors::lorawan::detail {
namespace {

constexpr std::uint64_t kMaxUint32 = 0xffffffffU;

struct RxTokens {
    JsonToken gateway_id, rssi, snr, gw_time, ns_time;
};

// The members read, as written; evaluated once the whole text is known to be valid, since a
// member read only in the absence of another (nsTime) must not be judged before.
struct EventTokens {
    JsonToken device_info, dev_eui, device_name, application_id, application_name, tags;
    JsonToken dev_addr, f_port, f_cnt, data, object, time, rx_info;
    JsonToken tx_info, frequency, modulation, lora, spreading_factor, bandwidth;
    std::vector<RxTokens> rx;
};

void scan_device_info(JsonScanner& scanner, EventTokens& event, Uplink& uplink) {
    scan_object_member(scanner, event.device_info, [&](std::string_view key) {
        if (key == "devEui") {
            capture(scanner, event.dev_eui);
        } else if (key == "deviceName") {
            capture(scanner, event.device_name);
        } else if (key == "applicationId") {
            capture(scanner, event.application_id);
        } else if (key == "applicationName") {
            capture(scanner, event.application_name);
        } else if (key == "tags") {
            scan_object_member(scanner, event.tags, [&](std::string_view tag) {
                std::string name(tag);  // `tag` is only valid until the scanner moves on
                // A later duplicate replaces an earlier one, as in nlohmann's document.
                uplink.tags.insert_or_assign(std::move(name),
                                             scanned_text(take(scanner)).value_or(""));
            });
        } else {
            take(scanner);
        }
    });
}

void scan_tx_info(JsonScanner& scanner, EventTokens& event) {
    scan_object_member(scanner, event.tx_info, [&](std::string_view key) {
        if (key == "frequency") {
            capture(scanner, event.frequency);
        } else if (key == "modulation") {
            scan_object_member(scanner, event.modulation, [&](std::string_view modulation) {
                if (modulation != "lora") {
                    take(scanner);
                    return;
                }
                scan_object_member(scanner, event.lora, [&](std::string_view lora) {
                    if (lora == "spreadingFactor") {
                        capture(scanner, event.spreading_factor);
                    } else if (lora == "bandwidth") {
                        capture(scanner, event.bandwidth);
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

void scan_rx_info(JsonScanner& scanner, EventTokens& event) {
    scan_object_array(scanner, event.rx_info, [&](std::size_t) {
        if (event.rx.empty()) {
            event.rx.reserve(4);  // one allocation for the few gateways of an uplink
        }
        RxTokens& rx = event.rx.emplace_back();
        scan_members(scanner, [&](std::string_view key) {
            if (key == "gatewayId") {
                capture(scanner, rx.gateway_id);
            } else if (key == "rssi") {
                capture(scanner, rx.rssi);
            } else if (key == "snr") {
                capture(scanner, rx.snr);
            } else if (key == "gwTime") {
                capture(scanner, rx.gw_time);
            } else if (key == "nsTime") {
                capture(scanner, rx.ns_time);
            } else {
                take(scanner);
            }
        });
    });
}

Uplink scan(std::string_view text) {
    Uplink uplink;
    uplink.network_server = NetworkServer::ChirpStack;
    EventTokens event;
    JsonScanner scanner(text, kMaxEnvelopeDepth);
    scan_members(scanner, [&](std::string_view key) {
        if (key == "deviceInfo") {
            scan_device_info(scanner, event, uplink);
        } else if (key == "devAddr") {
            capture(scanner, event.dev_addr);
        } else if (key == "fPort") {
            capture(scanner, event.f_port);
        } else if (key == "fCnt") {
            capture(scanner, event.f_cnt);
        } else if (key == "data") {
            capture(scanner, event.data);
        } else if (key == "object") {
            capture(scanner, event.object);
        } else if (key == "time") {
            capture(scanner, event.time);
        } else if (key == "rxInfo") {
            scan_rx_info(scanner, event);
        } else if (key == "txInfo") {
            scan_tx_info(scanner, event);
        } else {
            take(scanner);
        }
    });
    if (!scanner.finish()) {
        decline();
    }
    // What the DOM reader refuses: no deviceInfo (or v3), no uplink, no DevEUI.
    if (event.device_info.kind != JsonKind::Object ||
        (!present(event.rx_info) && !present(event.tx_info) && !present(event.data))) {
        decline();
    }
    std::optional<std::string> dev_eui = scanned_hex(event.dev_eui, 16);
    if (!dev_eui) {
        decline();
    }
    uplink.dev_eui = std::move(*dev_eui);
    uplink.device_name = scanned_text(event.device_name).value_or("");
    uplink.application_id = scanned_text(event.application_id).value_or("");
    uplink.application_name = scanned_text(event.application_name).value_or("");
    uplink.dev_addr = scanned_hex(event.dev_addr, 8).value_or("");
    if (const auto port = scanned_unsigned(event.f_port, 255)) {
        uplink.f_port = static_cast<std::uint8_t>(*port);
    }
    uplink.f_cnt =
        static_cast<std::uint32_t>(scanned_unsigned(event.f_cnt, kMaxUint32).value_or(0));
    uplink.payload = scanned_base64(event.data);
    uplink.decoded = scanned_document(event.object);
    uplink.gateways.reserve(event.rx.size());
    for (const RxTokens& rx : event.rx) {
        GatewayRx& gateway = uplink.gateways.emplace_back();
        gateway.gateway_id = scanned_text(rx.gateway_id).value_or("");
        gateway.rssi = scanned_number(rx.rssi);
        gateway.snr = scanned_number(rx.snr);
        gateway.time = scanned_time(rx.gw_time);
        if (!gateway.time) {
            gateway.time = scanned_time(rx.ns_time);
        }
    }
    set_best_signal(uplink);
    uplink.frequency_hz = scanned_unsigned(event.frequency, kMaxUint32);
    if (const auto sf = scanned_unsigned(event.spreading_factor, 12)) {
        uplink.spreading_factor = static_cast<int>(*sf);
    }
    if (const auto bandwidth = scanned_unsigned(event.bandwidth, kMaxUint32)) {
        uplink.bandwidth_hz = static_cast<std::uint32_t>(*bandwidth);
    }
    uplink.received = scanned_time(event.time);
    return uplink;
}

}  // namespace

std::optional<Uplink> scan_chirpstack_uplink(std::string_view json) {
    try {
        return scan(json);
    } catch (const Decline&) {
        return std::nullopt;
    }
}

}  // namespace passerelle::connectors::lorawan::detail
