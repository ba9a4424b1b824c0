// SPDX-License-Identifier: Apache-2.0
// The loop of a small TCP server on its own thread (the simulator's field devices, the tests'):
// accept connections, hand each readable one to the protocol, stop when woken.
#pragma once

#include <functional>

namespace passerelle {

/// Accepts connections on `listen_fd` and calls `serve(fd)` whenever one has something to read,
/// until `wake_fd` becomes readable. `serve` returns false to have that connection closed. The
/// connections still open are closed before it returns; the two descriptors are the caller's.
void serve_connections(int listen_fd, int wake_fd, const std::function<bool(int)>& serve);

}  // namespace passerelle
