// SPDX-License-Identifier: Apache-2.0
// Link layer framing of EN 13757-4: which CRC layout the bytes have, the checks, the header.
#include "connectors/wmbus/link_layer.h"

#include <algorithm>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "connectors/mbus/transport_header.h"
#include "connectors/wmbus/crc16.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kHeaderSize = 10;       // L C M(2) A(6)
constexpr std::size_t kMinimumStripped = 11;  // the header and a CI field
constexpr std::size_t kBlockSize = 16;
constexpr std::size_t kCrcSize = 2;
constexpr std::size_t kFormatBFirstBlocks = 128;  // blocks 1 and 2 of format B, with their CRC

Error truncated(std::size_t size) {
    return make_error(
        "wmbus.truncated",
        fmt::format("truncated frame: {} bytes, a wireless M-Bus header needs {} (L C "
                    "M A CI)",
                    size, kMinimumStripped));
}

// Checks the big-endian CRC that follows `block` (which starts at `offset` in the input).
Status check_block(std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t size,
                   int number) {
    const std::size_t crc_at = offset + size;
    const std::uint16_t computed = crc16_en13757(bytes.subspan(offset, size));
    const auto sent = static_cast<std::uint16_t>((bytes[crc_at] << 8) | bytes[crc_at + 1]);
    if (computed != sent) {
        return make_error("wmbus.bad-crc",
                          fmt::format("CRC of block {} wrong at byte {}: computed 0x{:04X}, frame "
                                      "says 0x{:04X}",
                                      number, crc_at, computed, sent));
    }
    return Ok{};
}

Result<std::vector<std::uint8_t>> strip_format_a(std::span<const std::uint8_t> bytes) {
    std::vector<std::uint8_t> telegram;
    telegram.reserve(bytes.size());
    std::size_t offset = 0;
    std::size_t block_size = kHeaderSize;
    int number = 1;
    while (offset < bytes.size()) {
        block_size = std::min(block_size, bytes.size() - offset - kCrcSize);
        if (auto checked = check_block(bytes, offset, block_size, number); !checked) {
            return checked.error();
        }
        telegram.insert(telegram.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                        bytes.begin() + static_cast<std::ptrdiff_t>(offset + block_size));
        offset += block_size + kCrcSize;
        block_size = kBlockSize;
        ++number;
    }
    return telegram;
}

// Format B: block 2's CRC covers blocks 1 and 2 (at most 128 bytes with it); block 3, if any,
// has its own.
Result<std::vector<std::uint8_t>> strip_format_b(std::span<const std::uint8_t> bytes) {
    const std::size_t first = std::min(bytes.size(), kFormatBFirstBlocks);
    if (auto checked = check_block(bytes, 0, first - kCrcSize, 2); !checked) {
        return checked.error();
    }
    std::vector<std::uint8_t> telegram(
        bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(first - kCrcSize));
    if (bytes.size() > kFormatBFirstBlocks) {
        const std::size_t rest = bytes.size() - kFormatBFirstBlocks;
        if (rest <= kCrcSize) {
            return truncated(bytes.size());
        }
        if (auto checked = check_block(bytes, kFormatBFirstBlocks, rest - kCrcSize, 3); !checked) {
            return checked.error();
        }
        telegram.insert(telegram.end(), bytes.begin() + kFormatBFirstBlocks,
                        bytes.end() - kCrcSize);
    }
    // Make L count what is left, as in a stripped telegram.
    telegram[0] = static_cast<std::uint8_t>(telegram.size() - 1);
    return telegram;
}

LinkHeader read_header(std::span<const std::uint8_t> telegram, std::uint8_t length) {
    LinkHeader header;
    header.length = length;
    header.control = telegram[1];
    header.manufacturer_code = static_cast<std::uint16_t>(telegram[2] | (telegram[3] << 8));
    header.manufacturer = mbus::manufacturer_letters(header.manufacturer_code);
    header.id = fmt::format(FMT_COMPILE("{:02X}{:02X}{:02X}{:02X}"), telegram[7], telegram[6],
                            telegram[5], telegram[4]);
    header.version = telegram[8];
    header.device_type = telegram[9];
    std::copy(telegram.begin() + 2, telegram.begin() + 10, header.address.begin());
    return header;
}

}  // namespace

std::size_t format_a_size(std::uint8_t length) {
    const std::size_t after_first = length > kHeaderSize - 1 ? length - (kHeaderSize - 1) : 0;
    const std::size_t blocks = 1 + (after_first + kBlockSize - 1) / kBlockSize;
    return length + 1 + kCrcSize * blocks;
}

Result<LinkFrame> parse_link_frame(std::span<const std::uint8_t> bytes, FrameFormat format) {
    if (bytes.size() < kMinimumStripped) {
        return truncated(bytes.size());
    }
    const std::uint8_t length = bytes[0];
    LinkFrame frame;
    const std::size_t stripped_size = std::size_t{length} + 1;
    if (format == FrameFormat::FormatB) {
        if (bytes.size() != stripped_size) {
            return make_error("wmbus.length-mismatch",
                              fmt::format("length mismatch: L says {}, {} bytes given ({} with "
                                          "frame format B CRCs)",
                                          length, bytes.size(), stripped_size));
        }
        auto telegram = strip_format_b(bytes);
        if (!telegram) {
            return telegram.error();
        }
        frame.layout = CrcLayout::FormatB;
        frame.telegram = std::move(*telegram);
    } else if (bytes.size() == stripped_size) {
        frame.layout = CrcLayout::Stripped;
        frame.telegram.assign(bytes.begin(), bytes.end());
    } else if (bytes.size() == format_a_size(length)) {
        auto telegram = strip_format_a(bytes);
        if (!telegram) {
            return telegram.error();
        }
        frame.layout = CrcLayout::FormatA;
        frame.telegram = std::move(*telegram);
    } else {
        return make_error(
            "wmbus.length-mismatch",
            fmt::format("length mismatch: L says {}, {} bytes given ({} without CRCs, {} with "
                        "frame format A CRCs)",
                        length, bytes.size(), stripped_size, format_a_size(length)));
    }
    if (frame.telegram.size() < kMinimumStripped) {
        return truncated(frame.telegram.size());
    }
    frame.header = read_header(frame.telegram, length);
    return frame;
}

}  // namespace passerelle::connectors::wmbus
