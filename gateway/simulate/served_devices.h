// SPDX-License-Identifier: Apache-2.0
// The Modbus devices `simulate` serves, and its pace: a device's next instant is put in place only
// once the gateway has polled the previous one, so that a compressed scenario loses no instant to
// the poll interval.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/modbus/device.h"
#include "gateway/core/result.h"
#include "gateway/simulate/modbus_device_server.h"
#include "gateway/simulate/scenario.h"

namespace passerelle::simulate {

class ServedDevices {
public:
    using Warn = std::function<void(const std::string& message)>;
    /// `devices` as served_modbus_devices() gives them; `warn` tells a device the gateway stopped
    /// polling, and when it polls again.
    ServedDevices(std::vector<connectors::modbus::Device> devices, Warn warn);

    /// Serves the registers of `item` (an item of as_modbus_registers) on its device's server,
    /// which starts listening at its first set. Waits first until the gateway has polled the set
    /// before, for at most ten poll intervals (two seconds at least); a device not polled in time
    /// is not waited for again until it is polled. Returns that set's item when it was polled, for
    /// the record, else nullptr. Error: the device's port cannot be bound.
    Result<const ScheduledReading*> serve(const ScheduledReading& item);
    /// Waits as above for the last set of each device; the items polled.
    std::vector<const ScheduledReading*> finish();

    /// Register sets served, and those the gateway polled.
    std::size_t served() const { return served_; }
    std::size_t polled() const { return polled_; }
    /// The devices served at least once, by name: "sst-nord".
    std::string names() const;

private:
    struct Served {
        connectors::modbus::Device device;
        std::unique_ptr<ModbusDeviceServer> server;
        const ScheduledReading* last = nullptr;  // the set in place or pending
        bool patient = true;  // false once the gateway missed a set, until it polls one again
    };
    /// Whether `served`'s last set was polled, waiting for it if patient.
    bool last_polled(Served& served);

    std::map<std::string, Served> by_source_;
    Warn warn_;
    std::size_t served_ = 0;
    std::size_t polled_ = 0;
};

}  // namespace passerelle::simulate
