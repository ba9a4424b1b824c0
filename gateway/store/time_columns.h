// SPDX-License-Identifier: Apache-2.0
// Times in the store's columns: Unix microseconds, the gateway's own resolution, so that a time
// read back is exactly the one written.
#pragma once

#include <cstdint>

#include "gateway/core/time.h"

namespace passerelle::store {

inline std::int64_t to_column(Timestamp time) {
    return time.time_since_epoch().count();
}

inline Timestamp from_column(std::int64_t microseconds) {
    return Timestamp(Duration(microseconds));
}

}  // namespace passerelle::store
