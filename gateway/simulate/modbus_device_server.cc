// SPDX-License-Identifier: Apache-2.0
// One thread per device: the shared connection loop over its listening socket and an eventfd.
// libmodbus only parses requests and builds replies on the client sockets: its own listen
// function takes IPv4 literals only and gives no way to interrupt its accept.
#include "gateway/simulate/modbus_device_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <modbus/modbus.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gateway/core/connection_loop.h"

namespace passerelle::simulate {

namespace modbus = connectors::modbus;

namespace {

constexpr int kTableSize = 65536;

Error listen_error(const modbus::Device& device, const std::string& what) {
    return make_error("simulate.modbus-listen",
                      fmt::format("cannot serve Modbus device {} on {}:{}: {}", device.name,
                                  device.host, device.port, what));
}

/// The table a read function code reads; nullopt for any other function.
std::optional<modbus::Table> table_of(int function) {
    switch (function) {
        case 1:
            return modbus::Table::Coil;
        case 2:
            return modbus::Table::Discrete;
        case 3:
            return modbus::Table::Holding;
        case 4:
            return modbus::Table::Input;
        default:
            return std::nullopt;
    }
}

}  // namespace

Result<std::unique_ptr<ModbusDeviceServer>> ModbusDeviceServer::listen(
    const modbus::Device& device) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(device.port);
    if (const int rc = ::getaddrinfo(device.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return listen_error(device, ::gai_strerror(rc));
    }
    int listen_fd = -1;
    std::string failure = "no address";
    for (const addrinfo* address = found; address != nullptr && listen_fd < 0;
         address = address->ai_next) {
        const int fd =
            ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) {
            failure = std::strerror(errno);
            continue;
        }
        // The previous run's connections may linger in TIME_WAIT on this port.
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, address->ai_addr, address->ai_addrlen) == 0 && ::listen(fd, 8) == 0) {
            listen_fd = fd;
        } else {
            failure = std::strerror(errno);
            ::close(fd);
        }
    }
    ::freeaddrinfo(found);
    if (listen_fd < 0) {
        return listen_error(device, failure);
    }
    const int wake_fd = ::eventfd(0, EFD_CLOEXEC);
    if (wake_fd < 0) {
        const std::string error = std::strerror(errno);
        ::close(listen_fd);
        return listen_error(device, error);
    }
    // The plan the gateway's poller follows for this map (clock included), in its order.
    std::vector<modbus::Point> points = device.map.points;
    if (device.clock) {
        points.push_back(*device.clock);
    }
    std::unique_ptr<ModbusDeviceServer> server(
        new ModbusDeviceServer(listen_fd, wake_fd, modbus::plan_requests(points, device.limits)));
    if (server->context_ == nullptr || server->mapping_ == nullptr) {
        return listen_error(device, "libmodbus could not allocate its context");
    }
    server->thread_ = std::thread([raw = server.get()] { raw->run(); });
    return server;
}

ModbusDeviceServer::ModbusDeviceServer(int listen_fd, int wake_fd,
                                       std::vector<modbus::ReadRequest> plan)
    : listen_fd_(listen_fd), wake_fd_(wake_fd), plan_(std::move(plan)) {
    // Never connected: the address is a placeholder.
    context_ = modbus_new_tcp("127.0.0.1", 502);
    mapping_ = modbus_mapping_new(kTableSize, kTableSize, kTableSize, kTableSize);
}

ModbusDeviceServer::~ModbusDeviceServer() {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
        thread_.join();
    }
    ::close(listen_fd_);
    ::close(wake_fd_);
    if (context_ != nullptr) {
        modbus_set_socket(context_, -1);
        modbus_free(context_);
    }
    if (mapping_ != nullptr) {
        modbus_mapping_free(mapping_);
    }
}

void ModbusDeviceServer::update(std::vector<modbus::RegisterWrite> writes) {
    const std::lock_guard lock(mutex_);
    pending_ = std::move(writes);
    ++updates_;
}

bool ModbusDeviceServer::wait_polled(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return polled_changed_.wait_for(lock, timeout, [this] { return polled_ == updates_; });
}

std::size_t ModbusDeviceServer::polls() const {
    const std::lock_guard lock(mutex_);
    return polls_;
}

std::uint16_t ModbusDeviceServer::port() const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return 0;
    }
    const auto network_order = address.ss_family == AF_INET6
                                   ? reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port
                                   : reinterpret_cast<const sockaddr_in*>(&address)->sin_port;
    return ntohs(network_order);
}

void ModbusDeviceServer::run() {
    serve_connections(listen_fd_, wake_fd_, [this](int fd) { return serve(fd); });
}

bool ModbusDeviceServer::serve(int fd) {
    std::uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    modbus_set_socket(context_, fd);
    const int length = modbus_receive(context_, query);
    if (length < 0) {
        return false;
    }
    if (length == 0) {
        return true;  // nothing to answer
    }
    // A read carries its function, address and quantity right after the MBAP header.
    const int header = modbus_get_header_length(context_);
    std::optional<modbus::Table> table;
    int address = -1;
    if (length >= header + 5) {
        table = table_of(query[header]);
        address = (query[header + 1] << 8) | query[header + 2];
    }
    const auto is = [&](const modbus::ReadRequest& request) {
        return table == request.table && address == request.address;
    };
    const std::lock_guard lock(mutex_);
    const bool starts_poll = !plan_.empty() && is(plan_.front());
    if (starts_poll && pending_) {
        for (const modbus::RegisterWrite& write : *pending_) {
            for (std::size_t i = 0; i < write.words.size(); ++i) {
                const std::size_t at = write.address + i;
                switch (write.table) {
                    case modbus::Table::Holding:
                        mapping_->tab_registers[at] = write.words[i];
                        break;
                    case modbus::Table::Input:
                        mapping_->tab_input_registers[at] = write.words[i];
                        break;
                    case modbus::Table::Coil:
                        mapping_->tab_bits[at] = write.words[i] != 0 ? 1 : 0;
                        break;
                    case modbus::Table::Discrete:
                        mapping_->tab_input_bits[at] = write.words[i] != 0 ? 1 : 0;
                        break;
                }
            }
        }
        pending_.reset();
        applied_ = updates_;
    }
    if (modbus_reply(context_, query, length, mapping_) < 0) {
        return false;
    }
    if (!plan_.empty() && is(plan_.back())) {
        ++polls_;
        if (polled_ != applied_) {
            polled_ = applied_;
            polled_changed_.notify_all();
        }
    }
    return true;
}

}  // namespace passerelle::simulate
