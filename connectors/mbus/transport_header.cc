// SPDX-License-Identifier: Apache-2.0
// Transport header layouts of EN 13757-3 (LSB first) and the device type (medium) table.
#include "connectors/mbus/transport_header.h"

#include <array>
#include <utility>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace passerelle::connectors::mbus {
namespace {

constexpr std::uint8_t kCiLong = 0x72;
constexpr std::uint8_t kCiShort = 0x7A;
constexpr std::uint8_t kCiNone = 0x78;
constexpr std::size_t kLongSize = 12;
constexpr std::size_t kShortSize = 4;

// EN 13757-3 device type codes (wmbusmeters mediaType() and libmbus agree on these).
constexpr std::array<std::pair<std::uint8_t, std::string_view>, 35> kMedia{{
    {0x00, "other"},
    {0x01, "oil"},
    {0x02, "electricity"},
    {0x03, "gas"},
    {0x04, "heat_outlet"},
    {0x05, "steam"},
    {0x06, "warm_water"},  // 30-90 °C
    {0x07, "water"},
    {0x08, "heat_cost_allocator"},
    {0x09, "compressed_air"},
    {0x0A, "cooling_outlet"},
    {0x0B, "cooling_inlet"},
    {0x0C, "heat_inlet"},
    {0x0D, "heat_cooling"},
    {0x0E, "bus_system_component"},
    {0x0F, "unknown"},
    {0x14, "calorific_value"},
    {0x15, "hot_water"},  // >= 90 °C
    {0x16, "cold_water"},
    {0x17, "dual_water"},  // hot and cold water meter
    {0x18, "pressure"},
    {0x19, "ad_converter"},
    {0x1A, "smoke_detector"},
    {0x1B, "room_sensor"},
    {0x1C, "gas_detector"},
    {0x20, "breaker"},
    {0x21, "valve"},
    {0x25, "customer_unit"},
    {0x28, "waste_water"},
    {0x29, "garbage"},
    {0x31, "communication_controller"},
    {0x32, "unidirectional_repeater"},
    {0x33, "bidirectional_repeater"},
    {0x36, "radio_converter_system"},
    {0x37, "radio_converter_meter"},
}};

std::uint16_t le16(std::span<const std::uint8_t> bytes) {
    return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

Error truncated(std::string_view what, std::size_t offset, std::size_t needed, std::size_t left) {
    return make_error("mbus.truncated",
                      fmt::format("truncated {} header at byte {}: {} bytes needed, {} left", what,
                                  offset, needed, left));
}

// The identification number: 4 bytes of BCD, least significant byte first. Non-decimal nibbles
// (wildcards, or hex ids some wireless meters use) print as hex digits rather than being refused.
std::string identification(std::span<const std::uint8_t> bytes) {
    return fmt::format(FMT_COMPILE("{:02X}{:02X}{:02X}{:02X}"), bytes[3], bytes[2], bytes[1],
                       bytes[0]);
}

std::string_view unsupported_ci(std::uint8_t ci) {
    switch (ci) {
        case 0x70:
            return "application error";
        case 0x71:
            return "alarm status";
        case 0x73:
        case 0x77:
            return "fixed data structure";
        case 0x76:
            return "variable data, most significant byte first";
        default:
            return {};
    }
}

}  // namespace

std::string manufacturer_letters(std::uint16_t code) {
    std::string letters(3, ' ');
    letters[0] = static_cast<char>(((code >> 10) & 0x1F) + 64);
    letters[1] = static_cast<char>(((code >> 5) & 0x1F) + 64);
    letters[2] = static_cast<char>((code & 0x1F) + 64);
    return letters;
}

std::string_view medium_name(std::uint8_t device_type) {
    for (const auto& [code, name] : kMedia) {
        if (code == device_type) {
            return name;
        }
    }
    return "reserved";
}

Result<TransportHeader> parse_transport_header(std::uint8_t ci, std::span<const std::uint8_t> data,
                                               std::size_t base_offset) {
    TransportHeader header;
    switch (ci) {
        case kCiNone:
            return header;
        case kCiShort:
            if (data.size() < kShortSize) {
                return truncated("short", base_offset, kShortSize, data.size());
            }
            header.kind = HeaderKind::Short;
            header.access_number = data[0];
            header.status = data[1];
            header.signature = le16(data.subspan(2));
            header.size = kShortSize;
            return header;
        case kCiLong:
            if (data.size() < kLongSize) {
                return truncated("long", base_offset, kLongSize, data.size());
            }
            header.kind = HeaderKind::Long;
            header.id = identification(data.first(4));
            header.manufacturer_code = le16(data.subspan(4));
            header.manufacturer = manufacturer_letters(header.manufacturer_code);
            header.version = data[6];
            header.device_type = data[7];
            header.access_number = data[8];
            header.status = data[9];
            header.signature = le16(data.subspan(10));
            header.size = kLongSize;
            return header;
        default:
            break;
    }
    const std::size_t ci_offset = base_offset == 0 ? 0 : base_offset - 1;
    if (const std::string_view what = unsupported_ci(ci); !what.empty()) {
        return make_error(
            "mbus.unsupported-ci",
            fmt::format("unsupported CI field 0x{:02X} ({}) at byte {}", ci, what, ci_offset));
    }
    return make_error("mbus.unknown-ci",
                      fmt::format("unknown CI field 0x{:02X} at byte {}", ci, ci_offset));
}

}  // namespace passerelle::connectors::mbus
