// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/clock.h"

#include <chrono>

namespace passerelle {

Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace passerelle
