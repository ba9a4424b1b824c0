// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/served_devices.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "gateway/core/time.h"
#include "gateway/simulate/modbus_registers.h"

namespace passerelle::simulate {

ServedDevices::ServedDevices(std::vector<connectors::modbus::Device> devices, Warn warn)
    : warn_(std::move(warn)) {
    for (auto& device : devices) {
        std::string source = modbus_source(device);
        by_source_.emplace(std::move(source), Served{std::move(device), nullptr, nullptr, true});
    }
}

bool ServedDevices::last_polled(Served& served) {
    if (served.last == nullptr) {
        return false;
    }
    // Ten polls late is no longer a busy machine but a gateway that does not poll.
    const auto patience = std::max<std::chrono::milliseconds>(
        std::chrono::seconds(2),
        10 * std::chrono::duration_cast<std::chrono::milliseconds>(served.device.interval));
    const bool polled =
        served.server->wait_polled(served.patient ? patience : std::chrono::milliseconds(0));
    if (polled && !served.patient) {
        warn_(fmt::format("Modbus device {}: polled again", served.device.name));
    } else if (!polled && served.patient) {
        warn_(fmt::format(
            "Modbus device {}: its registers of {} were not polled within {}; "
            "going on without waiting for the gateway",
            served.device.name, format_utc(served.last->reading.time), format_duration(patience)));
    }
    served.patient = polled;
    if (polled) {
        ++polled_;
    }
    return polled;
}

Result<const ScheduledReading*> ServedDevices::serve(const ScheduledReading& item) {
    const auto it = by_source_.find(item.topic);
    if (it == by_source_.end()) {
        return make_error("simulate.modbus-device",
                          fmt::format("no served Modbus device at {}", item.topic));
    }
    Served& served = it->second;
    if (!served.server) {
        auto server = ModbusDeviceServer::listen(served.device);
        if (!server) {
            return server.error();
        }
        served.server = std::move(*server);
    }
    const ScheduledReading* previous = last_polled(served) ? served.last : nullptr;
    served.server->update(item.registers);
    served.last = &item;
    ++served_;
    return previous;
}

std::vector<const ScheduledReading*> ServedDevices::finish() {
    std::vector<const ScheduledReading*> polled;
    for (auto& [source, served] : by_source_) {
        if (last_polled(served)) {
            polled.push_back(served.last);
        }
    }
    return polled;
}

std::string ServedDevices::names() const {
    std::string names;
    for (const auto& [source, served] : by_source_) {
        if (served.server) {
            names += (names.empty() ? "" : ", ") + served.device.name;
        }
    }
    return names;
}

}  // namespace passerelle::simulate
