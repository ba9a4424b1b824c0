// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/wired_adapter.h"

#include <fmt/format.h>

#include "connectors/mbus/meter_binding.h"

namespace passerelle::connectors::mbus {

Result<DeviceReport> wired_report(const Territory& territory,
                                  std::span<const DecodedTelegram> telegrams,
                                  std::string_view source, Timestamp when) {
    const DecodedTelegram* identified = nullptr;
    for (const DecodedTelegram& telegram : telegrams) {
        if (telegram.header.kind == HeaderKind::Long) {
            identified = &telegram;
            break;
        }
    }
    if (identified == nullptr) {
        return make_error(
            "mbus.no-identity",
            fmt::format("the meter at {} sends no identification (CI 0x{:02X}): only meters with "
                        "a long header (CI 0x72) can be matched to the registry",
                        source, telegrams.empty() ? 0 : telegrams.front().ci));
    }
    const TransportHeader& header = identified->header;
    auto bound =
        bind_meter(territory, header.id, header.manufacturer, medium_name(header.device_type));
    if (!bound) {
        return bound.error();
    }
    std::vector<DataRecord> records;
    for (const DecodedTelegram& telegram : telegrams) {
        records.insert(records.end(), telegram.records.begin(), telegram.records.end());
    }
    DeviceReport report;
    report.provider = bound->entity->provider;
    report.entity = bound->entity->id;
    report.protocol = "mbus";
    report.id = header.id;
    report.manufacturer = header.manufacturer;
    report.medium = std::string(medium_name(header.device_type));
    report.version = header.version;
    report.access_number = header.access_number;
    report.source = std::string(source);
    report.time = when;
    report.readings = to_readings(records, report.provider, report.entity, when);
    return report;
}

}  // namespace passerelle::connectors::mbus
