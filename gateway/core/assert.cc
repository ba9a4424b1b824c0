// SPDX-License-Identifier: Apache-2.0
// Reports a broken invariant and stops: continuing would risk wrong alerts.
#include "gateway/core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace passerelle::detail {

void assert_failed(const char* condition, const char* message, const char* file, int line) {
    std::fprintf(stderr, "passerelle: internal error at %s:%d: %s (%s)\n", file, line, message,
                 condition);
    std::abort();
}

}  // namespace passerelle::detail
