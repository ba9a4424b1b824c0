// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/meter_adapter.h"

#include "connectors/mbus/meter_binding.h"
#include "connectors/mbus/transport_header.h"
#include "connectors/wmbus/received_telegram.h"
#include "connectors/wmbus/wmbus_decoder.h"

namespace passerelle::connectors::wmbus {

MeterAdapter::MeterAdapter(const Territory& territory, FrameFormat format)
    : territory_(territory), format_(format) {
    for (const MeterBinding& meter : territory.meters.all()) {
        if (meter.key_hex.empty()) {
            continue;
        }
        if (auto key = parse_aes_key(meter.key_hex)) {
            keys_.emplace(meter.entity, *key);
        }
    }
}

Result<DeviceReport> MeterAdapter::adapt(std::string_view payload, std::string_view source,
                                         Timestamp received) {
    auto heard = parse_received_telegram(payload);
    if (!heard) {
        return heard.error();
    }
    DecodeOptions options;
    options.format = format_;
    options.compact_formats = &compact_formats_;
    options.key_for = [this](std::string_view id,
                             std::string_view manufacturer) -> std::optional<AesKey> {
        const MeterBinding* meter = territory_.meters.find(id, manufacturer);
        if (meter == nullptr) {
            return std::nullopt;
        }
        const auto key = keys_.find(meter->entity);
        return key == keys_.end() ? std::nullopt : std::optional<AesKey>(key->second);
    };
    auto telegram = decode_wireless_telegram(heard->bytes, options);
    if (!telegram) {
        // Encrypted data of a meter nobody declared: "unknown meter" says what to do about it.
        if (telegram.error().code == "wmbus.no-key") {
            if (auto link = parse_link_frame(heard->bytes, format_); link) {
                const LinkHeader& header = link->header;
                if (auto bound = mbus::bind_meter(territory_, header.id, header.manufacturer,
                                                  mbus::medium_name(header.device_type));
                    !bound) {
                    return bound.error();
                }
            }
        }
        return telegram.error();
    }
    const bool long_header = telegram->tpl.kind == mbus::HeaderKind::Long;
    const std::string& manufacturer =
        long_header ? telegram->tpl.manufacturer : telegram->link.manufacturer;
    const std::uint8_t medium =
        long_header ? telegram->tpl.device_type : telegram->link.device_type;
    auto bound =
        mbus::bind_meter(territory_, telegram->id(), manufacturer, mbus::medium_name(medium));
    if (!bound) {
        return bound.error();
    }
    DeviceReport report;
    report.provider = bound->entity->provider;
    report.entity = bound->entity->id;
    report.protocol = "wmbus";
    report.id = telegram->id();
    report.manufacturer = manufacturer;
    report.medium = std::string(mbus::medium_name(medium));
    report.version = long_header ? telegram->tpl.version : telegram->link.version;
    if (telegram->tpl.kind != mbus::HeaderKind::None) {
        report.access_number = telegram->tpl.access_number;
    } else if (telegram->ell) {
        report.access_number = telegram->ell->access_number;
    }
    report.rssi_dbm = heard->rssi_dbm;
    report.source = std::string(source);
    report.time = heard->time.value_or(received);
    report.readings = to_readings(*telegram, report.provider, report.entity, report.time);
    return report;
}

}  // namespace passerelle::connectors::wmbus
