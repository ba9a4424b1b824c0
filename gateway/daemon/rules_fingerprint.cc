// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/rules_fingerprint.h"

#include <array>
#include <fstream>
#include <string_view>

namespace passerelle::daemon {
namespace {

constexpr std::uint64_t kOffsetBasis = 14695981039346656037ULL;
constexpr std::uint64_t kPrime = 1099511628211ULL;

void mix(std::uint64_t& hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= kPrime;
    }
}

}  // namespace

std::uint64_t fingerprint_files(const std::vector<std::string>& paths) {
    std::uint64_t hash = kOffsetBasis;
    for (const auto& path : paths) {
        // With its terminating NUL, a name cannot run into the bytes that follow it.
        mix(hash, std::string_view(path.c_str(), path.size() + 1));
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            mix(hash, std::string_view("\0unreadable", 11));
            continue;
        }
        std::array<char, 8192> buffer{};
        std::uint64_t size = 0;
        while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
            mix(hash, std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
            size += static_cast<std::uint64_t>(in.gcount());
        }
        // The size ends each file, so that one file's tail cannot pass for the next file's name.
        mix(hash, std::string_view("\0", 1));
        mix(hash, std::to_string(size));
    }
    return hash;
}

}  // namespace passerelle::daemon
