// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/alert_event.h"

#include <cmath>

#include <fmt/format.h>

namespace passerelle::rules {
namespace {

// FNV-1a, 64 bits: stable across builds and platforms, unlike std::hash.
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace

void EpisodeExtremes::add(const Reading& reading) {
    const auto* value = std::get_if<double>(&reading.value);
    if (value == nullptr || std::isnan(*value)) {
        return;
    }
    // Strict comparisons: a peak reached twice is dated by its first time.
    if (!known || *value < min) {
        min = *value;
        min_at = reading.time;
    }
    if (!known || *value > max) {
        max = *value;
        max_at = reading.time;
    }
    known = true;
}

const char* to_string(AlertStatus status) {
    switch (status) {
        case AlertStatus::Firing:
            return "firing";
        case AlertStatus::Resolved:
            return "resolved";
        case AlertStatus::Flapping:
            return "flapping";
    }
    return "?";
}

std::string make_alert_id(std::string_view rule_id, std::string_view key, Timestamp started_at) {
    const std::string material =
        fmt::format("{}\x1f{}\x1f{}", rule_id, key, started_at.time_since_epoch().count());
    return fmt::format("{:016x}", fnv1a(material));
}

}  // namespace passerelle::rules
