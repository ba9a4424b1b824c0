// SPDX-License-Identifier: Apache-2.0
// Exponential back-off between reconnect attempts.
#include "gateway/bus/backoff.h"

#include <algorithm>

namespace passerelle::bus {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds{1})),
      max_(std::max(max, min_)),
      current_(min_) {}

std::chrono::milliseconds Backoff::next() {
    const std::chrono::milliseconds delay = current_;
    // Halving max before doubling avoids overflow for absurdly large settings.
    current_ = current_ > max_ / 2 ? max_ : current_ * 2;
    return delay;
}

void Backoff::reset() {
    current_ = min_;
}

}  // namespace passerelle::bus
