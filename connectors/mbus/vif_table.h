// SPDX-License-Identifier: Apache-2.0
// EN 13757-3 value information tables: primary VIF, extensions FD and FB, combinable VIFEs.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace passerelle::connectors::mbus {

/// How a record's data is read once its VIF is known.
enum class ValueKind : std::uint8_t {
    Number,      // a number, scaled to `unit`
    Identifier,  // digits kept as text (fabrication number, customer, parameter set)
    DateTime,    // type G, F or I by data size (2, 4, 6 bytes)
    Raw,         // manufacturer-specific or undefined meaning: the data bytes as hex
};

/// One VIF code: the quantity, its SenML unit and the conversion from the transmitted integer.
/// value = raw * 10^exponent * multiply / divide + offset.
struct VifEntry {
    std::string_view quantity;  // snake_case: "volume", "flow_temperature"
    std::string_view unit;      // SenML symbol, empty when dimensionless
    int exponent = 0;
    double multiply = 1.0;
    double divide = 1.0;
    double offset = 0.0;
    ValueKind kind = ValueKind::Number;
};

/// The primary table, `vif` with or without its extension bit. nullopt for the codes the caller
/// handles itself (0x7B/0x7D extension, 0x7C plain text, 0x7E any, 0x7F manufacturer) and for
/// reserved codes (0x6F).
std::optional<VifEntry> primary_vif(std::uint8_t vif);
/// The first extension table (VIF 0xFD, true code in the first VIFE); nullopt for codes not known.
std::optional<VifEntry> extension_fd(std::uint8_t code);
/// The second extension table (VIF 0xFB, true code in the first VIFE); nullopt for codes not known.
std::optional<VifEntry> extension_fb(std::uint8_t code);

/// What a combinable (orthogonal) VIFE does to the record it follows.
enum class VifeEffect : std::uint8_t {
    Scale,         // multiplies the value by 10^exponent
    Suffix,        // names a variant of the quantity; the unit still applies
    SuffixNoUnit,  // names a derived quantity (per hour, per litre...) whose unit is not kept
    Count,         // the value becomes a count (number of limit exceeds)
    Duration,      // the value becomes a duration in s (multiply = seconds per unit)
    DateTime,      // the value becomes a date or date-time (date of limit exceed)
    ErrorCode,     // the record reports an error (EN 13757-3 E00x xxxx, meter to controller)
    Manufacturer,  // 0x7F: the following VIFEs are manufacturer specific
    Unknown,       // not decoded: reported in the record's note
};

struct CombinableVife {
    VifeEffect effect = VifeEffect::Unknown;
    std::string_view text;  // suffix ("_backward") or error description
    int exponent = 0;       // Scale, Suffix (additive correction)
    double multiply = 1.0;  // Duration: seconds per unit
};

/// The meaning of a combinable VIFE, with or without its extension bit.
CombinableVife combinable_vife(std::uint8_t vife);

}  // namespace passerelle::connectors::mbus
