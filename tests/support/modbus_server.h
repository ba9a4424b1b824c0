// SPDX-License-Identifier: Apache-2.0
// A Modbus TCP server on 127.0.0.1 for the Modbus poller's tests: libmodbus answers from a mapping
// the test fills, and faults on request (an exception for an address range, silence).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/core/result.h"

struct _modbus;
struct _modbus_mapping_t;

namespace passerelle::testing {

/// Serves any number of clients, any unit id, 1024 entries in each of the four tables.
///
/// The port: libmodbus' modbus_tcp_listen() binds the port it is given and does not tell which one
/// the kernel chose for port 0, and picking a "free" port first then letting libmodbus bind it
/// races with other tests. So the server binds and accepts on its own socket (port 0, read back
/// with getsockname) and gives libmodbus each client socket with modbus_set_socket(), using it only
/// to parse requests and build replies.
class ModbusServer {
public:
    /// @return "modbus-server.setup" with the system's message if a socket call fails.
    static Result<std::unique_ptr<ModbusServer>> start();
    /// Closes every socket and joins the thread.
    ~ModbusServer();
    ModbusServer(const ModbusServer&) = delete;
    ModbusServer& operator=(const ModbusServer&) = delete;

    std::string host() const { return "127.0.0.1"; }
    std::uint16_t port() const { return port_; }

    /// Registers from `address` on. Every setter may be called while clients are served.
    void set_holding(std::uint16_t address, const std::vector<std::uint16_t>& values);
    void set_input(std::uint16_t address, const std::vector<std::uint16_t>& values);
    void set_coil(std::uint16_t address, bool value);
    void set_discrete(std::uint16_t address, bool value);
    /// Requests of any table that touch [first, last] get exception `code` (default 2, illegal data
    /// address).
    void fail_range(std::uint16_t first, std::uint16_t last, std::uint8_t code = 2);
    /// While silent, requests are read and never answered.
    void set_silent(bool silent);
    /// Requests received so far, answered or not.
    std::size_t request_count() const;

private:
    ModbusServer(int listen_fd, int wake_fd, std::uint16_t port);
    void run();
    /// Reads one request from `fd` and answers it; false when the client is gone.
    bool serve(int fd);

    int listen_fd_;
    int wake_fd_;  // an eventfd, written by the destructor
    std::uint16_t port_;
    _modbus* context_ = nullptr;
    _modbus_mapping_t* mapping_ = nullptr;
    mutable std::mutex mutex_;  // guards the mapping and the fields below
    struct Failure {
        std::uint16_t first;
        std::uint16_t last;
        std::uint8_t code;
    };
    std::vector<Failure> failures_;
    bool silent_ = false;
    std::size_t requests_ = 0;
    std::thread thread_;
};

}  // namespace passerelle::testing
