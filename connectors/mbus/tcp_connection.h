// SPDX-License-Identifier: Apache-2.0
// One TCP connection with deadlines on every step and a cancel signal that interrupts any wait:
// the byte pipe under the M-Bus master, free of protocol knowledge.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "gateway/core/result.h"

namespace passerelle::connectors::mbus {

using SteadyTime = std::chrono::steady_clock::time_point;

/// How an I/O step ended. Closed covers a peer that hung up and a socket error alike; the
/// connection is then closed and last_error() says why.
enum class IoStatus : std::uint8_t { Ok, Timeout, Closed, Cancelled };

/// Not thread-safe, except cancel() and cancelled(), which any thread may call.
class TcpConnection {
public:
    TcpConnection();
    ~TcpConnection();
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    /// Resolves `host` (numeric or a name, through getaddrinfo: a name lookup itself cannot be
    /// interrupted) and connects to the first address that accepts before `deadline`. Closes any
    /// previous connection first. Errors: mbus.connect ("cannot connect to host:port: Connection
    /// refused", "...: no answer within the timeout", "...: <getaddrinfo message>"),
    /// mbus.cancelled ("stopped").
    Status open(const std::string& host, std::uint16_t port, SteadyTime deadline);
    void close();
    bool is_open() const { return fd_ >= 0; }

    /// Sends every byte, or fails.
    IoStatus write_all(std::span<const std::uint8_t> bytes, SteadyTime deadline);
    /// Fills `out` entirely, however the bytes are split into segments, or fails.
    IoStatus read_exact(std::span<std::uint8_t> out, SteadyTime deadline);
    /// Throws away whatever has arrived so far, without waiting: late answers to an earlier
    /// request must not be taken for the answer to the next one. May find the peer gone (closes).
    void discard_input();
    /// Waits until `deadline` unless cancelled first: Timeout, or Cancelled.
    IoStatus pause_until(SteadyTime deadline);

    /// Makes the current and every later wait return Cancelled at once. Permanent.
    void cancel();
    bool cancelled() const { return cancelled_.load(); }

    /// Why the connection was last closed: "closed by the peer", "Connection reset by peer".
    const std::string& last_error() const { return last_error_; }

private:
    /// Waits for `events` on `fd`, or only for cancel when `fd` is -1.
    IoStatus wait_for(int fd, short events, SteadyTime deadline);
    void fail(std::string why);

    int fd_ = -1;
    int cancel_fd_ = -1;  // an eventfd, written once by cancel(); -1 if it could not be made
    std::atomic<bool> cancelled_{false};
    std::string last_error_;
};

}  // namespace passerelle::connectors::mbus
