// SPDX-License-Identifier: Apache-2.0
// libmodbus calls block, so stop() interrupts them by shutting down the socket they wait on; the
// socket is published under a mutex so that stop() never touches a descriptor already closed.
#include "connectors/modbus/modbus_poller.h"

#include <cerrno>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <modbus/modbus.h>
#include <sys/socket.h>

namespace passerelle::connectors::modbus {

struct ModbusPoller::Worker {
    Device device;
    std::vector<ReadRequest> plan;  // the clock, if any, is the point after the map's last
    std::optional<Timestamp> last_device_time;
    std::string label;  // "sst-nord (127.0.0.1:502 unit 1)"
    modbus_t* context = nullptr;
    bool connected = false;
    std::mutex socket_mutex;  // guards socket and cancelled
    int socket = -1;          // while connected, for stop()
    bool cancelled = false;

    ~Worker() {
        disconnect();
        if (context != nullptr) {
            modbus_free(context);
        }
    }
    bool is_cancelled() {
        const std::lock_guard lock(socket_mutex);
        return cancelled;
    }
    void disconnect() {
        const std::lock_guard lock(socket_mutex);
        if (connected) {
            modbus_close(context);
            connected = false;
            socket = -1;
        }
    }
    void cancel() {
        const std::lock_guard lock(socket_mutex);
        cancelled = true;
        if (socket >= 0) {
            ::shutdown(socket, SHUT_RDWR);
        }
    }
};

namespace {

std::string describe(const ReadRequest& request) {
    const char* what = request.table == Table::Holding ? "holding registers"
                       : request.table == Table::Input ? "input registers"
                       : request.table == Table::Coil  ? "coils"
                                                       : "discrete inputs";
    return fmt::format("{} {}..{}", what, request.address, request.address + request.count - 1);
}

bool is_exception(int error) {
    return error >= EMBXILFUN && error <= EMBXGTAR;
}

bool is_bad_answer(int error) {
    return error > EMBXGTAR && error <= EMBBADSLAVE;
}

/// One read into `words` (bits widened to one word each); -1 with errno set on failure.
int read_request(modbus_t* context, const ReadRequest& request, std::vector<std::uint16_t>& words) {
    words.assign(request.count, 0);
    switch (request.table) {
        case Table::Holding:
            return modbus_read_registers(context, request.address, request.count, words.data());
        case Table::Input:
            return modbus_read_input_registers(context, request.address, request.count,
                                               words.data());
        case Table::Coil:
        case Table::Discrete: {
            std::vector<std::uint8_t> bits(request.count, 0);
            const int rc =
                request.table == Table::Coil
                    ? modbus_read_bits(context, request.address, request.count, bits.data())
                    : modbus_read_input_bits(context, request.address, request.count, bits.data());
            std::copy(bits.begin(), bits.end(), words.begin());
            return rc;
        }
    }
    return -1;
}

}  // namespace

ModbusPoller::ModbusPoller(std::vector<Device> devices, const Clock& clock,
                           ModbusCallback on_report, Duration clock_tolerance)
    : clock_(clock), on_report_(std::move(on_report)), clock_tolerance_(clock_tolerance) {
    for (Device& device : devices) {
        auto worker = std::make_unique<Worker>();
        if (device.interval <= std::chrono::milliseconds::zero()) {
            device.interval = std::chrono::seconds(1);  // never back-to-back polls
        }
        worker->label = fmt::format("{} ({}:{} unit {})", device.name, device.host, device.port,
                                    device.unit_id);
        // The clock is read with the points, in the same request as its neighbours when the map
        // places it near them, so that the time and the values come from one answer.
        std::vector<Point> points = device.map.points;
        if (device.clock) {
            points.push_back(*device.clock);
        }
        worker->plan = plan_requests(points, device.limits);
        // modbus_new_tcp_pi resolves names; modbus_new_tcp takes only IPv4 literals.
        worker->context =
            modbus_new_tcp_pi(device.host.c_str(), std::to_string(device.port).c_str());
        if (worker->context != nullptr) {
            modbus_set_slave(worker->context, device.unit_id);
            const auto timeout = device.timeout.count();
            modbus_set_response_timeout(worker->context, static_cast<std::uint32_t>(timeout / 1000),
                                        static_cast<std::uint32_t>(timeout % 1000) * 1000);
        }
        worker->device = std::move(device);
        workers_.push_back(std::move(worker));
    }
}

ModbusPoller::~ModbusPoller() {
    stop();
}

void ModbusPoller::start() {
    if (!threads_.empty()) {
        return;
    }
    for (auto& worker : workers_) {
        threads_.emplace_back([this, raw = worker.get()] { run(*raw); });
    }
}

void ModbusPoller::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_) {
        worker->cancel();
    }
    for (std::thread& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

bool ModbusPoller::wait_for_stop(std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    return wake_.wait_until(lock, until, [this] { return stopping_; });
}

void ModbusPoller::run(Worker& worker) {
    using SteadyClock = std::chrono::steady_clock;
    auto due = SteadyClock::now();
    for (;;) {
        if (wait_for_stop(due)) {
            return;
        }
        PollReport report = poll(worker);
        const Timestamp when = date(worker, report, clock_.now());
        {
            const std::lock_guard lock(callback_mutex_);
            // A poll interrupted by stop() is no result; the check sits under the callback lock so
            // that nothing is reported once stop() has joined.
            if (worker.is_cancelled()) {
                return;
            }
            on_report_(worker.device, report, when);
        }
        const auto now = SteadyClock::now();
        while (due <= now) {
            due += worker.device.interval;
        }
    }
}

PollReport ModbusPoller::poll(Worker& worker) {
    PollReport report;
    const Device& device = worker.device;
    if (worker.context == nullptr) {
        report.errors.push_back(
            make_error("modbus.connect", fmt::format("{}: cannot create a Modbus TCP context: {}",
                                                     worker.label, modbus_strerror(errno))));
        return report;
    }
    std::vector<std::uint16_t> words;
    const int attempts = 1 + std::max(device.retries, 0);
    for (const ReadRequest& request : worker.plan) {
        std::optional<Error> failure;
        for (int attempt = 1; attempt <= attempts; ++attempt) {
            failure.reset();
            if (worker.is_cancelled()) {
                return report;
            }
            if (!worker.connected) {
                if (modbus_connect(worker.context) != 0) {
                    const int error = errno;
                    modbus_close(worker.context);
                    failure = make_error("modbus.connect",
                                         fmt::format("{}: cannot connect: {}", worker.label,
                                                     modbus_strerror(error)));
                    continue;
                }
                const std::lock_guard lock(worker.socket_mutex);
                worker.connected = true;
                worker.socket = modbus_get_socket(worker.context);
                if (worker.cancelled) {
                    ::shutdown(worker.socket, SHUT_RDWR);  // stop() came while connecting
                }
            }
            if (read_request(worker.context, request, words) == request.count) {
                break;
            }
            const int error = errno;
            if (is_exception(error)) {
                failure = make_error("modbus.exception",
                                     fmt::format("{}: {}: {}", worker.label, describe(request),
                                                 modbus_strerror(error)));
                break;  // the device answered: asking again gives the same answer
            }
            // Whatever else went wrong, a late or partial answer may still arrive: start afresh.
            worker.disconnect();
            if (error == ETIMEDOUT) {
                failure =
                    make_error("modbus.timeout",
                               fmt::format("{}: no answer to {} within {}ms after {} attempt{}",
                                           worker.label, describe(request), device.timeout.count(),
                                           attempts, attempts == 1 ? "" : "s"));
            } else if (is_bad_answer(error)) {
                failure = make_error("modbus.bad-answer",
                                     fmt::format("{}: bad answer to {}: {}", worker.label,
                                                 describe(request), modbus_strerror(error)));
            } else {
                failure = make_error("modbus.connect",
                                     fmt::format("{}: connection lost during {}: {}", worker.label,
                                                 describe(request), modbus_strerror(error)));
            }
        }
        if (failure) {
            const bool answered = failure->code == "modbus.exception";
            report.errors.push_back(std::move(*failure));
            if (!answered) {
                return report;  // an unreachable device would only make the rest wait too
            }
            continue;
        }
        for (std::size_t index : request.points) {
            if (index == device.map.points.size()) {
                const std::span<const std::uint16_t> registers(
                    words.data() + (device.clock->address - request.address),
                    width_of(device.clock->type));
                report.device_time = timestamp_from_epoch_seconds(
                    std::get<double>(decode_point(*device.clock, registers)));
                continue;
            }
            const Point& point = device.map.points[index];
            const std::span<const std::uint16_t> registers(
                words.data() + (point.address - request.address), width_of(point.type));
            if (is_no_value(point, registers)) {
                report.no_value.push_back(point.name);
                continue;
            }
            report.readings.push_back(
                PointReading{point.name, decode_point(point, registers), point.unit});
        }
    }
    return report;
}

Timestamp ModbusPoller::date(Worker& worker, PollReport& report, Timestamp now) const {
    if (!report.device_time) {
        return now;  // no clock, or its request failed
    }
    const Timestamp device_time = *report.device_time;
    const Duration skew = device_time > now ? device_time - now : now - device_time;
    if (skew > clock_tolerance_) {
        report.errors.push_back(make_error(
            "modbus.clock",
            fmt::format("{}: its clock says {}, {} {} the gateway's (more than {}): this poll is "
                        "dated by the gateway",
                        worker.label, format_utc(device_time), format_duration(skew),
                        device_time > now ? "ahead of" : "behind",
                        format_duration(clock_tolerance_))));
        return now;
    }
    if (worker.last_device_time && device_time <= *worker.last_device_time) {
        report.stale = true;
        report.readings.clear();
        report.no_value.clear();
        return device_time;
    }
    worker.last_device_time = device_time;
    return device_time;
}

}  // namespace passerelle::connectors::modbus
