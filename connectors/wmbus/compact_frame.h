// SPDX-License-Identifier: Apache-2.0
// Compact frames (CI 0x79): data without its DIF/VIF bytes, named by a format signature, the
// CRC-16 of those bytes. A full frame of the same layout has to be seen first to expand them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "connectors/mbus/application_layer.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

inline constexpr std::uint8_t kCiCompactFrame = 0x79;

/// The format signature of a DIF/VIF sequence: CRC-16/EN-13757 of the bytes (sent LSB first).
std::uint16_t format_signature(std::span<const std::uint8_t> dif_vif);

/// Format signature -> DIF/VIF sequence, learned from the full frames decoded so far. Not
/// thread-safe: one per receiving connector.
class CompactFormats {
public:
    /// Remembers the layout of a full frame's records. Layouts that a compact frame cannot
    /// express (manufacturer data, variable length, plain-text units) are not remembered.
    void learn(std::span<const mbus::DataRecord> records);

    /// Rebuilds the full record bytes of compact frame data (the bytes after CI: signature(2),
    /// full-frame CRC(2), data). Errors:
    /// - wmbus.truncated: "truncated compact frame header: 4 bytes needed, N left"
    /// - wmbus.compact-unknown: "compact frame, format signature A8ED unknown: a full frame is
    ///   needed first"
    /// - wmbus.bad-compact: "compact frame data of N bytes does not fit format A8ED",
    ///   "compact frame CRC 0x.... computed, 0x.... sent"
    Result<std::vector<std::uint8_t>> expand(std::span<const std::uint8_t> data) const;

    std::size_t size() const { return layouts_.size(); }

private:
    std::unordered_map<std::uint16_t, std::vector<std::uint8_t>> layouts_;
};

}  // namespace passerelle::connectors::wmbus
