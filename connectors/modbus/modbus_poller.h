// SPDX-License-Identifier: Apache-2.0
// Polls Modbus TCP devices, each on its own thread and interval, and hands every poll's readings
// and errors to a callback.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connectors/modbus/device.h"
#include "connectors/modbus/request_plan.h"
#include "gateway/core/clock.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::modbus {

/// One decoded point.
struct PointReading {
    std::string quantity;
    Value value = 0.0;
    std::string unit;
};

/// What one poll of one device gave: the points of every request that was answered, and an error
/// for every request that was not. Codes (message examples):
/// - modbus.exception: "sst-nord (127.0.0.1:1502 unit 1): holding registers 100..105: Illegal data
///   address" — an answer: the following requests are still made, and it is not retried
/// - modbus.timeout: "sst-nord (...): no answer to input registers 1..10 within 1000ms after 2
///   attempts" — the rest of this poll is skipped, the device being unlikely to answer them
/// - modbus.connect: "sst-nord (...): cannot connect: Connection refused", or "connection lost
///   during ...": the rest of this poll is skipped
/// - modbus.bad-answer: a malformed or mismatched answer (libmodbus' message)
/// - modbus.clock: "sst-nord (...): its clock says 2026-11-26T09:12:00Z, 1h behind the gateway's
///   (more than 5min): this poll is dated by the gateway" — the readings are still given
struct PollReport {
    std::vector<PointReading> readings;
    std::vector<Error> errors;
    /// Points read but holding their no_value sentinel: no reading, no error.
    std::vector<std::string> no_value;
    /// The device's clock as read in this poll, for a device with a clock register.
    std::optional<Timestamp> device_time;
    /// The device's clock had not moved since the previous poll dated by it: its values were not
    /// refreshed, and the same readings with the same time would only repeat; `readings` and
    /// `no_value` are left empty.
    bool stale = false;
    bool ok() const { return errors.empty(); }
};

/// Called with the device, its report, and the readings' time: the device's clock when it has
/// one within the tolerance, else when the poll ended.
using ModbusCallback =
    std::function<void(const Device& device, const PollReport& report, Timestamp when)>;

/// One thread and one connection per device, so that a silent device delays no other. Every
/// device is polled once at start(), then every `interval`; a poll that overruns skips the slots
/// it missed instead of catching up in a burst. The connection stays open between polls and is
/// reopened after a timeout or a drop. Callbacks never run concurrently, and never after stop()
/// returned.
///
/// A device with a clock register dates its readings: its clock is trusted while it is within
/// `clock_tolerance` of `clock`, either way (a controller whose battery died reads 1970 or 2000);
/// otherwise the poll is dated by `clock` and carries a modbus.clock error, so that the readings
/// still arrive and the fault is seen. A poll whose device time is not after the previous one is
/// reported `stale`, without readings.
class ModbusPoller {
public:
    /// `clock` stamps reports and must outlive the poller; waits use the steady clock.
    ModbusPoller(std::vector<Device> devices, const Clock& clock, ModbusCallback on_report,
                 Duration clock_tolerance = std::chrono::minutes(5));
    /// Stops.
    ~ModbusPoller();
    ModbusPoller(const ModbusPoller&) = delete;
    ModbusPoller& operator=(const ModbusPoller&) = delete;

    /// Starts the threads; once only.
    void start();
    /// Wakes the threads, shuts down any connection a request waits on (that poll reports
    /// nothing) and joins them. Prompt except while a device is being connected to, which takes
    /// at most its timeout. Final. Not from a callback, which would wait for itself.
    void stop();

private:
    struct Worker;
    void run(Worker& worker);
    PollReport poll(Worker& worker);
    /// The readings' time of this poll, and whether it repeats the previous one (see the class).
    Timestamp date(Worker& worker, PollReport& report, Timestamp now) const;
    /// Waits until `until` or stop(); true when stopped.
    bool wait_for_stop(std::chrono::steady_clock::time_point until);

    std::vector<std::unique_ptr<Worker>> workers_;
    const Clock& clock_;
    ModbusCallback on_report_;
    Duration clock_tolerance_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    std::mutex callback_mutex_;
    std::vector<std::thread> threads_;
};

}  // namespace passerelle::connectors::modbus
