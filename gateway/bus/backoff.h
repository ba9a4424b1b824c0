// SPDX-License-Identifier: Apache-2.0
// Exponential back-off between reconnect attempts: min, 2*min, 4*min, ... capped at max.
#pragma once

#include <chrono>

namespace passerelle::bus {

/// Deterministic on purpose (no jitter): one gateway per broker, and tests can predict it.
class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);

    /// The delay before the next attempt; each call doubles the following one, up to max.
    std::chrono::milliseconds next();
    /// After a successful connection: the next failure waits `min` again.
    void reset();

private:
    std::chrono::milliseconds min_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds current_;
};

}  // namespace passerelle::bus
