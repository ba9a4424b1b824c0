// SPDX-License-Identifier: Apache-2.0
// Compact frame layouts: learnt from decoded records, then data interleaved back into records.
#include "connectors/wmbus/compact_frame.h"

#include <optional>

#include <fmt/format.h>

#include "connectors/mbus/data_field.h"
#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/crc16.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kCompactHeaderSize = 4;  // signature(2) CRC(2)
constexpr std::uint8_t kExtension = 0x80;

struct RecordLayout {
    std::size_t header_size = 0;  // DIF..VIFE bytes
    std::size_t data_size = 0;
};

// The layout of the record starting at `at` in a DIF/VIF sequence, or nullopt if it cannot be
// part of a compact frame (its data size does not follow from the DIF).
std::optional<RecordLayout> record_layout(std::span<const std::uint8_t> dif_vif, std::size_t at) {
    std::size_t i = at;
    const std::uint8_t dif = dif_vif[i++];
    const mbus::FieldCoding coding = mbus::field_coding(dif);
    if (coding.coding == mbus::Coding::Variable || coding.coding == mbus::Coding::Special ||
        coding.coding == mbus::Coding::Selection) {
        return std::nullopt;
    }
    bool more = (dif & kExtension) != 0;
    while (more && i < dif_vif.size()) {
        more = (dif_vif[i++] & kExtension) != 0;
    }
    if (more || i >= dif_vif.size()) {
        return std::nullopt;
    }
    const std::uint8_t vif = dif_vif[i++];
    if ((vif & 0x7FU) == 0x7C) {  // plain-text unit: its length is in the data
        return std::nullopt;
    }
    more = (vif & kExtension) != 0;
    while (more && i < dif_vif.size()) {
        more = (dif_vif[i++] & kExtension) != 0;
    }
    if (more) {
        return std::nullopt;
    }
    return RecordLayout{i - at, coding.size};
}

std::uint16_t le16(std::span<const std::uint8_t> bytes) {
    return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

}  // namespace

std::uint16_t format_signature(std::span<const std::uint8_t> dif_vif) {
    return crc16_en13757(dif_vif);
}

void CompactFormats::learn(std::span<const mbus::DataRecord> records) {
    std::vector<std::uint8_t> dif_vif;
    for (const mbus::DataRecord& record : records) {
        auto header = mbus::parse_hex(record.header_hex);
        if (!header || header->empty()) {
            return;
        }
        const std::size_t start = dif_vif.size();
        dif_vif.insert(dif_vif.end(), header->begin(), header->end());
        const auto layout = record_layout(dif_vif, start);
        if (!layout || layout->header_size != header->size()) {
            return;
        }
    }
    if (!dif_vif.empty()) {
        layouts_[format_signature(dif_vif)] = std::move(dif_vif);
    }
}

Result<std::vector<std::uint8_t>> CompactFormats::expand(std::span<const std::uint8_t> data) const {
    if (data.size() < kCompactHeaderSize) {
        return make_error("wmbus.truncated",
                          fmt::format("truncated compact frame header: {} bytes needed, {} left",
                                      kCompactHeaderSize, data.size()));
    }
    const std::uint16_t signature = le16(data);
    const std::uint16_t sent_crc = le16(data.subspan(2));
    const auto values = data.subspan(kCompactHeaderSize);
    const auto found = layouts_.find(signature);
    if (found == layouts_.end()) {
        return make_error("wmbus.compact-unknown",
                          fmt::format("compact frame, format signature {:04X} unknown: a full "
                                      "frame is needed first",
                                      signature));
    }
    const std::vector<std::uint8_t>& dif_vif = found->second;
    std::vector<std::uint8_t> full;
    full.reserve(dif_vif.size() + values.size());
    std::size_t at = 0;
    std::size_t used = 0;
    while (at < dif_vif.size()) {
        const auto layout = record_layout(dif_vif, at);  // learn() checked every record
        const std::size_t needed = used + layout->data_size;
        if (needed > values.size()) {
            break;
        }
        full.insert(full.end(), dif_vif.begin() + static_cast<std::ptrdiff_t>(at),
                    dif_vif.begin() + static_cast<std::ptrdiff_t>(at + layout->header_size));
        full.insert(full.end(), values.begin() + static_cast<std::ptrdiff_t>(used),
                    values.begin() + static_cast<std::ptrdiff_t>(needed));
        at += layout->header_size;
        used = needed;
    }
    if (at != dif_vif.size() || used != values.size()) {
        return make_error("wmbus.bad-compact",
                          fmt::format("compact frame data of {} bytes does not fit format {:04X}",
                                      values.size(), signature));
    }
    if (const std::uint16_t computed = crc16_en13757(full); computed != sent_crc) {
        return make_error(
            "wmbus.bad-compact",
            fmt::format("compact frame CRC 0x{:04X} computed, 0x{:04X} sent", computed, sent_crc));
    }
    return full;
}

}  // namespace passerelle::connectors::wmbus
