// SPDX-License-Identifier: Apache-2.0
// The Modbus TCP server `simulate` runs for each device the gateway polls on loopback: it answers
// from the registers of the scenario's current instant, and tells the simulator when the gateway
// has read them, so that every instant is polled once whatever the speed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "connectors/modbus/device.h"
#include "connectors/modbus/register_encoder.h"
#include "connectors/modbus/request_plan.h"
#include "gateway/core/result.h"

struct _modbus;
struct _modbus_mapping_t;

namespace passerelle::simulate {

/// Listens on the device's host and port and answers any unit id from 65536 entries of each
/// table. A poller reads a device by its plan, always in the same order (see plan_requests): a new
/// set of registers is put in place when the first request of the plan arrives, never in the
/// middle of a poll, so that a poll never mixes two instants; the set counts as polled once the
/// last request of the plan has been answered.
class ModbusDeviceServer {
public:
    /// @return "simulate.modbus-listen" with the system's message when the port cannot be bound
    ///         (another program on it).
    static Result<std::unique_ptr<ModbusDeviceServer>> listen(
        const connectors::modbus::Device& device);
    /// Closes every socket and joins the thread.
    ~ModbusDeviceServer();
    ModbusDeviceServer(const ModbusDeviceServer&) = delete;
    ModbusDeviceServer& operator=(const ModbusDeviceServer&) = delete;

    /// Serves `writes` from the next poll on, in place of a set not polled yet.
    void update(std::vector<connectors::modbus::RegisterWrite> writes);
    /// Waits until a whole poll has read the last update; false after `timeout`.
    bool wait_polled(std::chrono::milliseconds timeout);
    /// Polls that read a set of registers from start to end.
    std::size_t polls() const;
    /// The port listened on: the device's, or the kernel's choice when that was 0 (tests).
    std::uint16_t port() const;

private:
    ModbusDeviceServer(int listen_fd, int wake_fd,
                       std::vector<connectors::modbus::ReadRequest> plan);
    void run();
    /// Reads one request from `fd` and answers it; false when the client is gone.
    bool serve(int fd);

    int listen_fd_;
    int wake_fd_;  // an eventfd, written by the destructor
    std::vector<connectors::modbus::ReadRequest> plan_;
    _modbus* context_ = nullptr;
    _modbus_mapping_t* mapping_ = nullptr;
    mutable std::mutex mutex_;  // guards the mapping and the fields below
    std::condition_variable polled_changed_;
    std::optional<std::vector<connectors::modbus::RegisterWrite>> pending_;
    std::uint64_t updates_ = 0;  // update() calls so far
    std::uint64_t applied_ = 0;  // the update the mapping holds
    std::uint64_t polled_ = 0;   // the update a whole poll has read
    std::size_t polls_ = 0;
    std::thread thread_;
};

}  // namespace passerelle::simulate
