// SPDX-License-Identifier: Apache-2.0
// EN 13757-3 data field codings: integers, BCD, 32-bit real, variable length, dates G/F/I.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace passerelle::connectors::mbus {

/// What the low nibble of a DIF says about the data that follows the VIF.
enum class Coding : std::uint8_t {
    None,       // 0x0: no data
    Integer,    // 0x1-0x4, 0x6, 0x7: little-endian two's complement of 1, 2, 3, 4, 6, 8 bytes
    Real,       // 0x5: IEEE 754 single, little endian
    Selection,  // 0x8: selection for readout (a request, no data)
    Bcd,        // 0x9-0xC, 0xE: BCD of 2, 4, 6, 8, 12 digits, least significant byte first
    Variable,   // 0xD: one LVAR byte, then its data
    Special,    // 0xF: 0x0F/0x1F manufacturer data, 0x2F idle filler, others reserved
};

struct FieldCoding {
    Coding coding = Coding::None;
    std::uint8_t size = 0;  // data bytes for the fixed-size codings
};

/// The coding of the data field bits (DIF & 0x0F).
FieldCoding field_coding(std::uint8_t dif);

/// Little-endian two's complement of 1..8 bytes.
std::int64_t read_signed(std::span<const std::uint8_t> bytes);
/// Little-endian unsigned of 1..8 bytes.
std::uint64_t read_unsigned(std::span<const std::uint8_t> bytes);
/// Little-endian IEEE 754 single precision (4 bytes).
float read_real32(std::span<const std::uint8_t> bytes);

/// BCD, least significant byte first, up to 18 digits. A high nibble 0xF in the most significant
/// byte makes the number negative (EN 13757-3 convention: `0B 2D 02 00 F0` is -200); any other
/// nibble above 9 makes the field invalid (nullopt).
std::optional<std::int64_t> read_bcd(std::span<const std::uint8_t> bytes);
/// The BCD digits as text, most significant first and zeros kept ("00012345"); nullopt when a
/// nibble is not a decimal digit.
std::optional<std::string> bcd_digits(std::span<const std::uint8_t> bytes);

/// A decoded date or date-time: ISO 8601 text in the meter's local time, or why there is none.
struct DateText {
    std::string text;  // "2014-03-13", "2014-03-13T12:10", "2014-03-13T12:10:05"; empty if none
    std::string note;  // "date-time marked invalid", "date not set (0xE1F1)"
};

/// Type G (2 bytes): day b0&0x1F, month b1&0x0F, year from b0 bits 5-7 and b1 bits 4-7.
DateText decode_date_g(std::span<const std::uint8_t> bytes);
/// Type F (4 bytes): minute b0&0x3F (b0 bit 7 = invalid), hour b1&0x1F (bits 5-6 = hundred
/// years, bit 7 = summer time), then a type G date in b2, b3.
DateText decode_date_time_f(std::span<const std::uint8_t> bytes);
/// Type I (6 bytes): second b0&0x3F, minute b1&0x3F, hour b2&0x1F, then a type G date in b3, b4.
DateText decode_date_time_i(std::span<const std::uint8_t> bytes);

/// Upper-case hex of the bytes in transmission order: "0C13".
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace passerelle::connectors::mbus
