// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbusmeters/meter_adapter.h"

#include "connectors/mbus/meter_binding.h"
#include "connectors/wmbusmeters/wmbusmeters_json.h"

namespace passerelle::connectors::wmbusmeters {

Result<DeviceReport> adapt_message(const Territory& territory, std::string_view payload,
                                   std::string_view source, Timestamp received) {
    auto message = parse_wmbusmeters_json(payload);
    if (!message) {
        return message.error();
    }
    const MeterIdentity& identity = message->identity;
    // wmbusmeters prints no manufacturer: the id alone finds the meter.
    auto bound = mbus::bind_meter(territory, identity.id, "", identity.media);
    if (!bound) {
        return bound.error();
    }
    DeviceReport report;
    report.provider = bound->entity->provider;
    report.entity = bound->entity->id;
    report.protocol = "wmbusmeters";
    report.id = identity.id;
    report.medium = identity.media;
    report.rssi_dbm = identity.rssi_dbm;
    report.driver = identity.driver;
    report.source = std::string(source);
    report.time = identity.timestamp.value_or(received);
    report.readings = to_readings(*message, report.provider, report.entity, received);
    return report;
}

}  // namespace passerelle::connectors::wmbusmeters
