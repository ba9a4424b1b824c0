// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/radio_readings.h"

#include <string>

namespace passerelle::connectors::lorawan {

std::vector<Reading> radio_readings(const Uplink& uplink, std::string_view provider,
                                    std::string_view entity, Timestamp fallback) {
    const Timestamp time = uplink.received.value_or(fallback);
    std::vector<Reading> readings;
    readings.reserve(4);
    const auto add = [&](std::string quantity, double value, std::string unit) {
        readings.push_back(Reading{std::string(provider), std::string(entity), std::move(quantity),
                                   value, std::move(unit), time});
    };
    if (uplink.best_rssi) {
        add("rssi", *uplink.best_rssi, "dBm");
    }
    if (uplink.best_snr) {
        add("snr", *uplink.best_snr, "dB");
    }
    add("fcnt", static_cast<double>(uplink.f_cnt), "count");
    if (!uplink.gateways.empty()) {
        add("gateways", static_cast<double>(uplink.gateways.size()), "count");
    }
    return readings;
}

}  // namespace passerelle::connectors::lorawan
