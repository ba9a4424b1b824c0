// SPDX-License-Identifier: Apache-2.0
// The server: a loopback listener, a wake-up eventfd and the shared connection loop.
#include "tests/support/modbus_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gateway/core/connection_loop.h"
#include "tests/support/loopback_listener.h"

namespace passerelle::testing {

namespace {

constexpr int kTableSize = 1024;

}  // namespace

Result<std::unique_ptr<ModbusServer>> ModbusServer::start() {
    auto listener = listen_on_loopback("modbus-server", 8);
    if (!listener) {
        return listener.error();
    }
    std::unique_ptr<ModbusServer> server(
        new ModbusServer(listener->listen_fd, listener->wake_fd, listener->port));
    server->thread_ = std::thread([raw = server.get()] { raw->run(); });
    return server;
}

ModbusServer::ModbusServer(int listen_fd, int wake_fd, std::uint16_t port)
    : listen_fd_(listen_fd), wake_fd_(wake_fd), port_(port) {
    // Never connected: libmodbus only parses requests and writes replies on our client sockets.
    context_ = modbus_new_tcp("127.0.0.1", port);
    mapping_ = modbus_mapping_new(kTableSize, kTableSize, kTableSize, kTableSize);
}

ModbusServer::~ModbusServer() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    ::close(listen_fd_);
    ::close(wake_fd_);
    modbus_set_socket(context_, -1);
    modbus_free(context_);
    modbus_mapping_free(mapping_);
}

void ModbusServer::set_holding(std::uint16_t address, const std::vector<std::uint16_t>& values) {
    const std::lock_guard lock(mutex_);
    std::copy(values.begin(), values.end(), mapping_->tab_registers + address);
}

void ModbusServer::set_input(std::uint16_t address, const std::vector<std::uint16_t>& values) {
    const std::lock_guard lock(mutex_);
    std::copy(values.begin(), values.end(), mapping_->tab_input_registers + address);
}

void ModbusServer::set_coil(std::uint16_t address, bool value) {
    const std::lock_guard lock(mutex_);
    mapping_->tab_bits[address] = value ? 1 : 0;
}

void ModbusServer::set_discrete(std::uint16_t address, bool value) {
    const std::lock_guard lock(mutex_);
    mapping_->tab_input_bits[address] = value ? 1 : 0;
}

void ModbusServer::fail_range(std::uint16_t first, std::uint16_t last, std::uint8_t code) {
    const std::lock_guard lock(mutex_);
    failures_.push_back(Failure{first, last, code});
}

void ModbusServer::set_silent(bool silent) {
    const std::lock_guard lock(mutex_);
    silent_ = silent;
}

std::size_t ModbusServer::request_count() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

void ModbusServer::run() {
    serve_connections(listen_fd_, wake_fd_, [this](int fd) { return serve(fd); });
}

bool ModbusServer::serve(int fd) {
    std::uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    modbus_set_socket(context_, fd);
    const int length = modbus_receive(context_, query);
    if (length < 0) {
        return false;
    }
    if (length == 0) {
        return true;  // not for this server's unit id
    }
    const std::lock_guard lock(mutex_);
    ++requests_;
    if (silent_) {
        return true;
    }
    // Reads carry function, address and quantity right after the MBAP header.
    const int header = modbus_get_header_length(context_);
    if (length >= header + 5) {
        const int first = (query[header + 1] << 8) | query[header + 2];
        const int count = (query[header + 3] << 8) | query[header + 4];
        const int last = first + std::max(count, 1) - 1;
        for (const Failure& failure : failures_) {
            if (first <= failure.last && failure.first <= last) {
                return modbus_reply_exception(context_, query, failure.code) >= 0;
            }
        }
    }
    return modbus_reply(context_, query, length, mapping_) >= 0;
}

}  // namespace passerelle::testing
