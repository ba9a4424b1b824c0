// SPDX-License-Identifier: Apache-2.0
// Unix microseconds: how the routes' saved states keep a time, exactly as it was.
#pragma once

#include <cstdint>

#include "gateway/core/time.h"

namespace passerelle {

inline std::int64_t to_unix_micros(Timestamp t) {
    return t.time_since_epoch().count();
}

inline Timestamp from_unix_micros(std::int64_t microseconds) {
    return Timestamp(Duration(microseconds));
}

}  // namespace passerelle
