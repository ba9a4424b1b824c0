// SPDX-License-Identifier: Apache-2.0
// PASSERELLE_ASSERT: for broken invariants (bugs), never for anything input or a peer can cause.
#pragma once

namespace passerelle::detail {
[[noreturn]] void assert_failed(const char* condition, const char* message, const char* file,
                                int line);
}  // namespace passerelle::detail

#define PASSERELLE_ASSERT(condition, message)                                                   \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            ::passerelle::detail::assert_failed(#condition, message, __FILE__, __LINE__);      \
        }                                                                                      \
    } while (false)
