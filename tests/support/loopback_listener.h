// SPDX-License-Identifier: Apache-2.0
// What the in-process field servers of the tests (an M-Bus slave, a Modbus server) open first: a
// listening socket on 127.0.0.1 and an eventfd that wakes their poll(2) loop to stop.
#pragma once

#include <cstdint>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::testing {

struct LoopbackListener {
    int listen_fd = -1;
    int wake_fd = -1;
    std::uint16_t port = 0;  // the kernel's choice: tests never collide on a port
};

/// Opens both; nothing stays open on error. Error code "<who>.setup" with the system's message.
Result<LoopbackListener> listen_on_loopback(std::string_view who, int backlog);

}  // namespace passerelle::testing
