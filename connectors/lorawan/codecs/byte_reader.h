// SPDX-License-Identifier: Apache-2.0
// A cursor over a payload's bytes that reads big- or little-endian integers. Codecs check the
// length of a whole record first (has), so that a truncated one is reported once, at its start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace passerelle::connectors::lorawan {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return bytes_.size() - offset_; }
    bool done() const { return offset_ == bytes_.size(); }
    bool has(std::size_t count) const { return remaining() >= count; }
    /// The byte `ahead` positions on, without moving; the caller checks has(ahead + 1).
    std::uint8_t peek(std::size_t ahead = 0) const { return bytes_[offset_ + ahead]; }
    void skip(std::size_t count) { offset_ += count; }

    // The readers below assume has(size); they are unchecked for speed, like the records' sizes.
    std::uint8_t u8() { return bytes_[offset_++]; }
    std::int8_t i8() { return static_cast<std::int8_t>(u8()); }
    std::uint32_t uint_be(std::size_t size) {
        std::uint32_t value = 0;
        for (std::size_t i = 0; i < size; ++i) {
            value = (value << 8U) | u8();
        }
        return value;
    }
    std::uint32_t uint_le(std::size_t size) {
        std::uint32_t value = 0;
        for (std::size_t i = 0; i < size; ++i) {
            value |= static_cast<std::uint32_t>(u8()) << (8U * i);
        }
        return value;
    }
    /// Two's complement over `size` bytes (1 to 4), sign-extended.
    std::int32_t int_be(std::size_t size) { return sign_extend(uint_be(size), size); }
    std::int32_t int_le(std::size_t size) { return sign_extend(uint_le(size), size); }

private:
    static std::int32_t sign_extend(std::uint32_t value, std::size_t size) {
        const std::uint32_t sign = 1U << (8U * size - 1U);
        const std::int64_t signed_value = (value & sign) != 0 ? static_cast<std::int64_t>(value) -
                                                                    (std::int64_t{1} << (8U * size))
                                                              : static_cast<std::int64_t>(value);
        return static_cast<std::int32_t>(signed_value);
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t offset_ = 0;
};

}  // namespace passerelle::connectors::lorawan
