// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/modbus_registers.h"

#include <map>

#include <fmt/format.h>

#include "connectors/modbus/register_encoder.h"
#include "gateway/core/time.h"
#include "gateway/simulate/field_messages.h"
#include "gateway/simulate/loopback.h"

namespace passerelle::simulate {
namespace {

namespace modbus = connectors::modbus;

Result<ScheduledReading> registers_of(const modbus::Device& device, std::vector<Reading> readings) {
    const Reading& first = readings.front();
    std::map<std::string, const Reading*> by_quantity;
    for (const Reading& reading : readings) {
        by_quantity[reading.quantity] = &reading;
    }
    ScheduledReading item{modbus_source(device), first, false, {}, {}, {}};
    for (const modbus::Point& point : device.map.points) {
        const auto given = by_quantity.find(point.name);
        Result<std::vector<std::uint16_t>> words =
            given != by_quantity.end() ? modbus::encode_point(point, given->second->value)
                                       : modbus::encode_raw(point, point.no_value.value_or(0.0));
        if (!words) {
            return make_error(words.error().code, fmt::format("Modbus device {}: {}", device.name,
                                                              words.error().message));
        }
        if (given != by_quantity.end()) {
            by_quantity.erase(given);
        }
        // What the poller will make of them, sentinel and rounding included.
        if (!modbus::is_no_value(point, *words)) {
            item.carried.push_back(Reading{first.provider, first.entity, point.name,
                                           modbus::decode_point(point, *words), point.unit,
                                           first.time});
        }
        item.registers.push_back(modbus::RegisterWrite{point.table, point.address, *words});
    }
    if (!by_quantity.empty()) {
        return make_error("simulate.modbus-quantity",
                          fmt::format("Modbus device {}: its register map has no point '{}' for "
                                      "the scenario's reading",
                                      device.name, by_quantity.begin()->first));
    }
    auto clock = modbus::encode_raw(*device.clock, to_epoch_seconds(first.time));
    if (!clock) {
        return clock.error();
    }
    item.registers.push_back(
        modbus::RegisterWrite{device.clock->table, device.clock->address, *clock});
    if (!item.carried.empty()) {
        item.reading = item.carried.front();
    }
    return item;
}

}  // namespace

std::vector<connectors::modbus::Device> served_modbus_devices(
    const config::ConnectorSettings& connectors) {
    std::vector<modbus::Device> served;
    for (const modbus::Device& device : connectors.modbus_devices) {
        if (is_loopback_host(device.host)) {
            served.push_back(device);
        }
    }
    return served;
}

std::string modbus_source(const connectors::modbus::Device& device) {
    return fmt::format("modbus://{}:{}/{}", device.host, device.port, device.unit_id);
}

Result<std::vector<ScheduledReading>> as_modbus_registers(
    std::vector<ScheduledReading> schedule, const config::ConnectorSettings& connectors) {
    std::map<std::string, modbus::Device> devices;  // by entity
    for (modbus::Device& device : served_modbus_devices(connectors)) {
        if (!device.clock) {
            return make_error(
                "simulate.modbus-clock",
                fmt::format("Modbus device {} at {}:{}: the simulator serves only devices with a "
                            "clock register ('clock:' in its map), since the scenario's time runs "
                            "ahead of the gateway's",
                            device.name, device.host, device.port));
        }
        std::string entity = device.name;
        devices.emplace(std::move(entity), std::move(device));
    }
    if (devices.empty()) {
        return schedule;
    }
    return replace_device_readings(
        std::move(schedule),
        [&devices](const std::string& entity) { return devices.contains(entity); },
        [&devices](const std::string& entity, std::vector<Reading> readings) {
            return registers_of(devices.at(entity), std::move(readings));
        });
}

}  // namespace passerelle::simulate
