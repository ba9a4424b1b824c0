// SPDX-License-Identifier: Apache-2.0
// Wireless M-Bus / OMS telegrams built from a meter's identity and typed records, so that the
// simulator publishes what real water and heat meters send and the demo runs the real decoding
// path; tests use it to round-trip through decode_wireless_telegram. Not used on received data.
//
// What it builds (EN 13757-4 link layer, EN 13757-3 records, EN 13757-7 / OMS mode 5):
// - the link header L C M(2) ID(4) version type, L computed;
// - CI 0x7A and its short transport header: access number, status, configuration word;
// - security mode 5 when a key is given: 2F 2F, the records, 2F fillers up to whole 16-byte
//   blocks, AES-128-CBC with the mode 5 IV (link address and access number, see mode5_iv), and
//   the configuration word announcing the blocks; mode 0 (records in clear) without a key;
// - the frame without CRCs (as receivers and wmbusmeters log telegrams) or in format A with its
//   CRC blocks.
// What it does not build: ELL (CI 0x8C/0x8D), the long transport header (CI 0x72), no header (CI
// 0x78), compact frames, frame format B, security modes other than 0 and 5, multi-telegram
// readouts. The output is deterministic: the mode 5 IV is derived, nothing is random.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/wmbus/aes.h"
#include "connectors/wmbus/record_encoder.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::wmbus {

/// Whether the output carries the link layer CRCs.
enum class Framing : std::uint8_t {
    WithoutCrc,  // L + 1 bytes
    FormatA,     // a CRC after the first 10 bytes, after every 16 bytes, after the last
};

/// Device types (media) met in simulations, EN 13757-7 table values.
inline constexpr std::uint8_t kDeviceHeat = 0x04;  // heat meter, outlet (decoded "heat_outlet")
inline constexpr std::uint8_t kDeviceWater = 0x07;
inline constexpr std::uint8_t kDeviceWarmWater = 0x06;

struct TelegramSpec {
    std::string manufacturer;  // three letters A-Z: "KAM"
    std::string id;            // 8 decimal digits, most significant first: "12345678"
    std::uint8_t version = 0;
    std::uint8_t device_type = kDeviceWater;
    std::uint8_t control = 0x44;  // SND_NR, the periodic telegram
    std::uint8_t access_number = 0;
    std::uint8_t status = 0;
    std::optional<AesKey> key;  // security mode 5 with this key; mode 0 (clear) without
    std::vector<RecordSpec> records;
};

/// The 15-bit manufacturer code of three letters A-Z (5 bits each, A = 1): "KAM" is 0x2C2D.
/// Errors: wmbus.bad-manufacturer "manufacturer 'Kx' is not three letters A-Z".
Result<std::uint16_t> manufacturer_code(std::string_view letters);

/// One telegram from L to its end. Errors are those of encode_records, plus:
/// - wmbus.bad-manufacturer: "manufacturer 'Kx' is not three letters A-Z"
/// - wmbus.bad-id: "meter id '1234567' is not 8 decimal digits"
/// - wmbus.too-long: "telegram needs L = 270, at most 255 fit"
Result<std::vector<std::uint8_t>> encode_wireless_telegram(const TelegramSpec& spec,
                                                           Framing framing = Framing::WithoutCrc);

/// Inserts the format A CRCs (each sent most significant byte first) into a telegram without
/// them; L stays as it is, since it does not count them.
std::vector<std::uint8_t> add_format_a_crcs(std::span<const std::uint8_t> telegram);

}  // namespace passerelle::connectors::wmbus
