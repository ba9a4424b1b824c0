// SPDX-License-Identifier: Apache-2.0
// The replacement itself, in a file of its own: seen beside callers of operator new, GCC would
// take the free() below for a mismatched deallocation.
#include "bench/allocation_count.h"

#include <cstdlib>
#include <new>

namespace {

std::size_t g_allocations = 0;  // single-threaded benchmarks

}  // namespace

std::size_t passerelle::bench::allocation_count() {
    return g_allocations;
}

void* operator new(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    ++g_allocations;
    return p;
}

void operator delete(void* p) noexcept {
    std::free(p);
}

void operator delete(void* p, std::size_t /*size*/) noexcept {
    std::free(p);
}
