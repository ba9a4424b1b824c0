// SPDX-License-Identifier: Apache-2.0
// Counts heap allocations: a benchmark linking allocation_count.cc has the global operator new
// replaced by one that counts its calls. Single-threaded benchmarks only.
#pragma once

#include <cstddef>

namespace passerelle::bench {

/// operator new calls since the start.
std::size_t allocation_count();

}  // namespace passerelle::bench
