// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/device_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace passerelle {

std::string device_topic(const DeviceReport& report) {
    return fmt::format("device/{}/{}", report.provider, report.entity);
}

std::string encode_device_report(const DeviceReport& report) {
    nlohmann::json out = {{"entity", report.entity},
                          {"provider", report.provider},
                          {"protocol", report.protocol},
                          {"id", report.id}};
    const auto text = [&out](const char* name, const std::string& value) {
        if (!value.empty()) {
            out[name] = value;
        }
    };
    text("manufacturer", report.manufacturer);
    text("medium", report.medium);
    if (report.version) {
        out["version"] = *report.version;
    }
    if (report.access_number) {
        out["access_number"] = *report.access_number;
    }
    if (report.rssi_dbm) {
        out["rssi_dbm"] = *report.rssi_dbm;
    }
    text("driver", report.driver);
    text("source", report.source);
    out["ts"] = format_utc(report.time);
    nlohmann::json quantities = nlohmann::json::array();
    for (const Reading& reading : report.readings) {
        quantities.push_back(reading.quantity);
    }
    out["quantities"] = std::move(quantities);
    // Texts come from decoders that only produce UTF-8, but a hostile id must not throw here.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace passerelle
