// SPDX-License-Identifier: Apache-2.0
// Link header, short transport header, mode 5 padding and encryption, format A CRC blocks: the
// decoder's layers in reverse.
#include "connectors/wmbus/telegram_encoder.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "connectors/wmbus/crc16.h"
#include "connectors/wmbus/security.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kHeaderSize = 10;  // L C M(2) ID(4) version type
constexpr std::size_t kAesBlock = 16;
constexpr std::size_t kMaxLength = 255;
constexpr std::uint8_t kCiShortHeader = 0x7A;
constexpr std::uint8_t kIdleFiller = 0x2F;
constexpr std::uint16_t kMode5 = 0x0500;

Result<std::array<std::uint8_t, 4>> id_bytes(std::string_view id) {
    const bool digits = id.size() == 8 && std::all_of(id.begin(), id.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        return make_error("wmbus.bad-id", fmt::format("meter id '{}' is not 8 decimal digits", id));
    }
    // BCD, least significant byte (the last two digits) first.
    std::array<std::uint8_t, 4> out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::size_t at = 6 - 2 * i;
        out[i] = static_cast<std::uint8_t>(((id[at] - '0') << 4) | (id[at + 1] - '0'));
    }
    return out;
}

// Mode 5 plaintext: the two fillers the decoder checks, the records, then fillers up to whole
// blocks; the configuration word says how many blocks are encrypted.
std::uint16_t encrypt_mode5(const AesKey& key, const AesBlock& iv,
                            std::vector<std::uint8_t>& data) {
    data.insert(data.begin(), {kIdleFiller, kIdleFiller});
    data.resize((data.size() + kAesBlock - 1) / kAesBlock * kAesBlock, kIdleFiller);
    const std::size_t blocks = data.size() / kAesBlock;
    data = aes128_cbc_encrypt(key, iv, data);
    return static_cast<std::uint16_t>(kMode5 | (blocks << 4));
}

}  // namespace

Result<std::uint16_t> manufacturer_code(std::string_view letters) {
    const bool valid =
        letters.size() == 3 &&
        std::all_of(letters.begin(), letters.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!valid) {
        return make_error("wmbus.bad-manufacturer",
                          fmt::format("manufacturer '{}' is not three letters A-Z", letters));
    }
    return static_cast<std::uint16_t>(((letters[0] - 64) << 10) | ((letters[1] - 64) << 5) |
                                      (letters[2] - 64));
}

Result<std::vector<std::uint8_t>> encode_wireless_telegram(const TelegramSpec& spec,
                                                           Framing framing) {
    const auto manufacturer = manufacturer_code(spec.manufacturer);
    if (!manufacturer) {
        return manufacturer.error();
    }
    const auto id = id_bytes(spec.id);
    if (!id) {
        return id.error();
    }
    auto data = encode_records(spec.records);
    if (!data) {
        return data.error();
    }
    std::vector<std::uint8_t> telegram{0, spec.control,
                                       static_cast<std::uint8_t>(*manufacturer & 0xFFU),
                                       static_cast<std::uint8_t>(*manufacturer >> 8)};
    telegram.insert(telegram.end(), id->begin(), id->end());
    telegram.push_back(spec.version);
    telegram.push_back(spec.device_type);
    std::uint16_t configuration = 0;
    if (spec.key) {
        std::array<std::uint8_t, 8> address{};
        std::copy(telegram.begin() + 2, telegram.begin() + kHeaderSize, address.begin());
        configuration = encrypt_mode5(*spec.key, mode5_iv(address, spec.access_number), *data);
    }
    telegram.insert(telegram.end(), {kCiShortHeader, spec.access_number, spec.status,
                                     static_cast<std::uint8_t>(configuration & 0xFFU),
                                     static_cast<std::uint8_t>(configuration >> 8)});
    telegram.insert(telegram.end(), data->begin(), data->end());
    const std::size_t length = telegram.size() - 1;
    if (length > kMaxLength) {
        return make_error("wmbus.too-long",
                          fmt::format("telegram needs L = {}, at most {} fit", length, kMaxLength));
    }
    telegram[0] = static_cast<std::uint8_t>(length);
    if (framing == Framing::FormatA) {
        return add_format_a_crcs(telegram);
    }
    return telegram;
}

std::vector<std::uint8_t> add_format_a_crcs(std::span<const std::uint8_t> telegram) {
    std::vector<std::uint8_t> frame;
    frame.reserve(telegram.size() + 2 * (telegram.size() / kAesBlock + 2));
    std::size_t offset = 0;
    std::size_t block_size = kHeaderSize;  // the first block is the link header
    while (offset < telegram.size()) {
        const auto block = telegram.subspan(offset, std::min(block_size, telegram.size() - offset));
        const std::uint16_t crc = crc16_en13757(block);
        frame.insert(frame.end(), block.begin(), block.end());
        frame.push_back(static_cast<std::uint8_t>(crc >> 8));
        frame.push_back(static_cast<std::uint8_t>(crc & 0xFFU));
        offset += block.size();
        block_size = kAesBlock;
    }
    return frame;
}

}  // namespace passerelle::connectors::wmbus
