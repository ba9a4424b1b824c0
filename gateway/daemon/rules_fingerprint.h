// SPDX-License-Identifier: Apache-2.0
// The rules files' contents in one number: tells an edit from a save that changed nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace passerelle::daemon {

/// FNV-1a (64 bits) of each file's name and bytes, in order. A file that cannot be read counts as
/// such, so that it differs from an empty one.
std::uint64_t fingerprint_files(const std::vector<std::string>& paths);

}  // namespace passerelle::daemon
