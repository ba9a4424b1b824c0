// SPDX-License-Identifier: Apache-2.0
// The VIF and VIFE tables of EN 13757-3, converted to SenML units: energy in Wh (J and GJ are
// converted), volume m3, flows m3/s, power W, temperatures Cel, differences K, pressure Pa, time s.
// Facts cross-checked with libmbus (mbus-protocol.c tables) and wmbusmeters (dvparser.h ranges).
#include "connectors/mbus/vif_table.h"

#include <array>

namespace passerelle::connectors::mbus {
namespace {

constexpr std::array<double, 4> kTimeUnits{1.0, 60.0, 3600.0, 86400.0};  // s, min, h, d
constexpr double kHour = 3600.0;
constexpr double kUsGallonM3 = 0.003785411784;
constexpr double kCubicFootM3 = 0.028316846592;

VifEntry number(std::string_view quantity, std::string_view unit, int exponent = 0) {
    return VifEntry{quantity, unit, exponent, 1.0, 1.0, 0.0, ValueKind::Number};
}

VifEntry converted(std::string_view quantity, std::string_view unit, int exponent, double multiply,
                   double divide) {
    return VifEntry{quantity, unit, exponent, multiply, divide, 0.0, ValueKind::Number};
}

VifEntry duration(std::string_view quantity, unsigned nn) {
    return converted(quantity, "s", 0, kTimeUnits[nn & 3U], 1.0);
}

VifEntry kind(std::string_view quantity, ValueKind value_kind) {
    return VifEntry{quantity, "", 0, 1.0, 1.0, 0.0, value_kind};
}

// Fahrenheit temperatures (FB table) to Celsius: (F - 32) * 5 / 9.
VifEntry fahrenheit(std::string_view quantity, int exponent) {
    return VifEntry{quantity, "Cel", exponent, 5.0, 9.0, -160.0 / 9.0, ValueKind::Number};
}

}  // namespace

std::optional<VifEntry> primary_vif(std::uint8_t vif) {
    const unsigned code = vif & 0x7FU;
    const int n3 = static_cast<int>(code & 0x07U);  // E... .nnn
    const int n2 = static_cast<int>(code & 0x03U);  // E... ..nn
    switch (code >> 3) {
        case 0x0:
            return number("energy", "Wh", n3 - 3);
        case 0x1:
            return converted("energy", "Wh", n3, 1.0, kHour);  // J
        case 0x2:
            return number("volume", "m3", n3 - 6);
        case 0x3:
            return number("mass", "kg", n3 - 3);
        case 0x4:
            return duration(code < 0x24 ? "on_time" : "operating_time", code);
        case 0x5:
            return number("power", "W", n3 - 3);
        case 0x6:
            return converted("power", "W", n3, 1.0, kHour);  // J/h
        case 0x7:
            return converted("volume_flow", "m3/s", n3 - 6, 1.0, kHour);  // m3/h
        case 0x8:
            return converted("volume_flow", "m3/s", n3 - 7, 1.0, 60.0);  // m3/min
        case 0x9:
            return number("volume_flow", "m3/s", n3 - 9);
        case 0xA:
            // kg/h to kg/s; "kg/s" is not in the SenML registry (no mass flow unit is).
            return converted("mass_flow", "kg/s", n3 - 3, 1.0, kHour);
        case 0xB:
            return number(code < 0x5C ? "flow_temperature" : "return_temperature", "Cel", n2 - 3);
        case 0xC:
            return code < 0x64 ? number("temperature_difference", "K", n2 - 3)
                               : number("external_temperature", "Cel", n2 - 3);
        case 0xD:
            if (code < 0x6C) {
                return converted("pressure", "Pa", n2 - 3, 1e5, 1.0);  // bar
            }
            if (code == 0x6C) {
                return kind("date", ValueKind::DateTime);
            }
            if (code == 0x6D) {
                return kind("date_time", ValueKind::DateTime);
            }
            if (code == 0x6E) {
                return number("hca_units", "");
            }
            return std::nullopt;  // 0x6F reserved
        case 0xE:
            return duration(code < 0x74 ? "averaging_duration" : "actuality_duration", code);
        default:
            break;
    }
    switch (code) {
        case 0x78:
            return kind("fabrication_number", ValueKind::Identifier);
        case 0x79:
            return kind("enhanced_identification", ValueKind::Identifier);
        case 0x7A:
            return number("bus_address", "");
        default:
            return std::nullopt;
    }
}

std::optional<VifEntry> extension_fd(std::uint8_t code_byte) {
    const unsigned code = code_byte & 0x7FU;
    const int n2 = static_cast<int>(code & 0x03U);
    const int n4 = static_cast<int>(code & 0x0FU);
    if (code <= 0x03) {
        return number("credit", "", n2 - 3);  // currency units
    }
    if (code <= 0x07) {
        return number("debit", "", n2 - 3);
    }
    if (code >= 0x40 && code <= 0x4F) {
        return number("voltage", "V", n4 - 9);
    }
    if (code >= 0x50 && code <= 0x5F) {
        return number("current", "A", n4 - 12);
    }
    switch (code) {
        case 0x08:
            return number("access_number", "");
        case 0x09:
            return number("medium", "");
        case 0x0A:
            return number("manufacturer", "");
        case 0x0B:
            return kind("parameter_set_id", ValueKind::Identifier);
        case 0x0C:
            return kind("model_version", ValueKind::Identifier);
        case 0x0D:
            return number("hardware_version", "");
        case 0x0E:
            return number("firmware_version", "");
        case 0x0F:
            return number("software_version", "");
        case 0x10:
            return kind("customer_location", ValueKind::Identifier);
        case 0x11:
            return kind("customer", ValueKind::Identifier);
        case 0x12:
            return kind("access_code_user", ValueKind::Identifier);
        case 0x13:
            return kind("access_code_operator", ValueKind::Identifier);
        case 0x14:
            return kind("access_code_system_operator", ValueKind::Identifier);
        case 0x15:
            return kind("access_code_developer", ValueKind::Identifier);
        case 0x16:
            return kind("password", ValueKind::Identifier);
        case 0x17:
            return number("error_flags", "");
        case 0x18:
            return number("error_mask", "");
        case 0x1A:
            return number("digital_output", "");
        case 0x1B:
            return number("digital_input", "");
        case 0x1C:
            return number("baud_rate", "");
        case 0x1D:
            return number("response_delay_bit_times", "");
        case 0x1E:
            return number("retry", "");
        case 0x20:
            return number("first_cyclic_storage", "");
        case 0x21:
            return number("last_cyclic_storage", "");
        case 0x22:
            return number("storage_block_size", "");
        case 0x24:
        case 0x25:
        case 0x26:
        case 0x27:
            return duration("storage_interval", code);
        case 0x28:
            return number("storage_interval_months", "");
        case 0x29:
            return number("storage_interval_years", "");
        case 0x2C:
        case 0x2D:
        case 0x2E:
        case 0x2F:
            return duration("duration_since_readout", code);
        case 0x30:
            return kind("tariff_start", ValueKind::DateTime);
        case 0x31:
        case 0x32:
        case 0x33:
            return duration("tariff_duration", code);
        case 0x34:
        case 0x35:
        case 0x36:
        case 0x37:
            return duration("tariff_period", code);
        case 0x38:
            return number("tariff_period_months", "");
        case 0x39:
            return number("tariff_period_years", "");
        case 0x3A:
            return number("dimensionless", "");
        case 0x60:
            return number("reset_counter", "");
        case 0x61:
            return number("cumulation_counter", "");
        case 0x62:
            return number("control_signal", "");
        case 0x63:
            return number("day_of_week", "");
        case 0x64:
            return number("week_number", "");
        case 0x65:
            return number("day_change_time", "");
        case 0x66:
            return number("parameter_activation_state", "");
        case 0x67:
            return number("special_supplier_information", "");
        case 0x68:
        case 0x69:
            return duration("duration_since_cumulation", code - 0x66U);  // h, d
        case 0x6A:
            return number("duration_since_cumulation_months", "");
        case 0x6B:
            return number("duration_since_cumulation_years", "");
        case 0x6C:
        case 0x6D:
            return duration("battery_operating_time", code - 0x6AU);  // h, d
        case 0x6E:
            return number("battery_operating_time_months", "");
        case 0x6F:
            return number("battery_operating_time_years", "");
        case 0x70:
            return kind("battery_change_date", ValueKind::DateTime);
        case 0x74:
            return converted("remaining_battery", "s", 0, 86400.0, 1.0);  // days
        default:
            return std::nullopt;
    }
}

std::optional<VifEntry> extension_fb(std::uint8_t code_byte) {
    const unsigned code = code_byte & 0x7FU;
    const int n1 = static_cast<int>(code & 0x01U);
    const int n2 = static_cast<int>(code & 0x03U);
    const int n3 = static_cast<int>(code & 0x07U);
    switch (code) {
        case 0x00:
        case 0x01:
            return number("energy", "Wh", n1 - 1 + 6);  // MWh
        case 0x08:
        case 0x09:
            return converted("energy", "Wh", n1 - 1 + 9, 1.0, kHour);  // GJ
        case 0x10:
        case 0x11:
            return number("volume", "m3", n1 + 2);
        case 0x18:
        case 0x19:
            return number("mass", "kg", n1 + 2 + 3);  // t
        case 0x1A:
        case 0x1B:
            // In EN 13757-3:2018 and wmbusmeters; reserved in older editions. (unverified)
            return number("relative_humidity", "%RH", n1 - 1);
        case 0x21:
            return converted("volume", "m3", -1, kCubicFootM3, 1.0);
        case 0x22:
        case 0x23:
            return converted("volume", "m3", n1 - 1, kUsGallonM3, 1.0);
        case 0x24:
            return converted("volume_flow", "m3/s", -3, kUsGallonM3, 60.0);  // US gal/min
        case 0x25:
            return converted("volume_flow", "m3/s", 0, kUsGallonM3, 60.0);
        case 0x26:
            return converted("volume_flow", "m3/s", 0, kUsGallonM3, kHour);  // US gal/h
        case 0x28:
        case 0x29:
            return number("power", "W", n1 - 1 + 6);  // MW
        case 0x30:
        case 0x31:
            return converted("power", "W", n1 - 1 + 9, 1.0, kHour);  // GJ/h
        default:
            break;
    }
    if (code >= 0x58 && code <= 0x5B) {
        return fahrenheit("flow_temperature", n2 - 3);
    }
    if (code >= 0x5C && code <= 0x5F) {
        return fahrenheit("return_temperature", n2 - 3);
    }
    if (code >= 0x60 && code <= 0x63) {
        return converted("temperature_difference", "K", n2 - 3, 5.0, 9.0);
    }
    if (code >= 0x64 && code <= 0x67) {
        return fahrenheit("external_temperature", n2 - 3);
    }
    if (code >= 0x70 && code <= 0x73) {
        return fahrenheit("temperature_limit", n2 - 3);
    }
    if (code >= 0x74 && code <= 0x77) {
        return number("temperature_limit", "Cel", n2 - 3);
    }
    if (code >= 0x78) {
        return number("cumulative_max_power", "W", n3 - 3);
    }
    return std::nullopt;
}

CombinableVife combinable_vife(std::uint8_t vife) {
    const unsigned code = vife & 0x7FU;
    // E000 xxxx / E001 xxxx, meter to controller: error codes in EN 13757-3:2004 (libmbus's table).
    // EN 13757-3:2018 reassigns 0x12-0x14 and 0x1D-0x1F (average, compact profiles), so those are
    // reported as not decoded rather than as errors.
    switch (code) {
        case 0x00:
            // Error code "none" (ABB Delta meters send 84 00 on every energy record): no effect.
            return {VifeEffect::Scale, "", 0};
        case 0x01:
            return {VifeEffect::ErrorCode, "too many DIFEs"};
        case 0x02:
            return {VifeEffect::ErrorCode, "storage number not implemented"};
        case 0x03:
            return {VifeEffect::ErrorCode, "unit number not implemented"};
        case 0x04:
            return {VifeEffect::ErrorCode, "tariff number not implemented"};
        case 0x05:
            return {VifeEffect::ErrorCode, "function not implemented"};
        case 0x06:
            return {VifeEffect::ErrorCode, "data class not implemented"};
        case 0x07:
            return {VifeEffect::ErrorCode, "data size not implemented"};
        case 0x0B:
            return {VifeEffect::ErrorCode, "too many VIFEs"};
        case 0x0C:
            return {VifeEffect::ErrorCode, "illegal VIF group"};
        case 0x0D:
            return {VifeEffect::ErrorCode, "illegal VIF exponent"};
        case 0x0E:
            return {VifeEffect::ErrorCode, "VIF/DIF mismatch"};
        case 0x0F:
            return {VifeEffect::ErrorCode, "unimplemented action"};
        case 0x15:
            return {VifeEffect::ErrorCode, "no data available (undefined value)"};
        case 0x16:
            return {VifeEffect::ErrorCode, "data overflow"};
        case 0x17:
            return {VifeEffect::ErrorCode, "data underflow"};
        case 0x18:
            return {VifeEffect::ErrorCode, "data error"};
        case 0x1C:
            return {VifeEffect::ErrorCode, "premature end of record"};
        case 0x08:
        case 0x09:
        case 0x0A:
        case 0x10:
        case 0x11:
        case 0x19:
        case 0x1A:
        case 0x1B:
            return {VifeEffect::ErrorCode, "reserved error code"};
        case 0x20:
            return {VifeEffect::SuffixNoUnit, "_per_second"};
        case 0x21:
            return {VifeEffect::SuffixNoUnit, "_per_minute"};
        case 0x22:
            return {VifeEffect::SuffixNoUnit, "_per_hour"};
        case 0x23:
            return {VifeEffect::SuffixNoUnit, "_per_day"};
        case 0x24:
            return {VifeEffect::SuffixNoUnit, "_per_week"};
        case 0x25:
            return {VifeEffect::SuffixNoUnit, "_per_month"};
        case 0x26:
            return {VifeEffect::SuffixNoUnit, "_per_year"};
        case 0x27:
            return {VifeEffect::SuffixNoUnit, "_per_measurement"};
        case 0x28:
            return {VifeEffect::Suffix, "_per_input_pulse_0"};
        case 0x29:
            return {VifeEffect::Suffix, "_per_input_pulse_1"};
        case 0x2A:
            return {VifeEffect::Suffix, "_per_output_pulse_0"};
        case 0x2B:
            return {VifeEffect::Suffix, "_per_output_pulse_1"};
        case 0x2C:
            return {VifeEffect::SuffixNoUnit, "_per_litre"};
        case 0x2D:
            return {VifeEffect::SuffixNoUnit, "_per_m3"};
        case 0x2E:
            return {VifeEffect::SuffixNoUnit, "_per_kg"};
        case 0x2F:
            return {VifeEffect::SuffixNoUnit, "_per_kelvin"};
        case 0x30:
            return {VifeEffect::SuffixNoUnit, "_per_kwh"};
        case 0x31:
            return {VifeEffect::SuffixNoUnit, "_per_gj"};
        case 0x32:
            return {VifeEffect::SuffixNoUnit, "_per_kw"};
        case 0x33:
            return {VifeEffect::SuffixNoUnit, "_per_kelvin_litre"};
        case 0x34:
            return {VifeEffect::SuffixNoUnit, "_per_volt"};
        case 0x35:
            return {VifeEffect::SuffixNoUnit, "_per_ampere"};
        case 0x36:
            return {VifeEffect::SuffixNoUnit, "_times_s"};
        case 0x37:
            return {VifeEffect::SuffixNoUnit, "_times_s_per_volt"};
        case 0x38:
            return {VifeEffect::SuffixNoUnit, "_times_s_per_ampere"};
        case 0x39:
            return {VifeEffect::DateTime, "_start"};
        case 0x3A:
            return {VifeEffect::Suffix, "_uncorrected"};
        case 0x3B:
            return {VifeEffect::Suffix, "_forward"};  // accumulation only of positive contributions
        case 0x3C:
            return {VifeEffect::Suffix, "_backward"};  // of the absolute value of negative ones
        case 0x3E:
            return {VifeEffect::Suffix, "_at_base_conditions"};
        case 0x40:
            return {VifeEffect::Suffix, "_lower_limit"};
        case 0x48:
            return {VifeEffect::Suffix, "_upper_limit"};
        case 0x41:
            return {VifeEffect::Count, "_lower_limit_exceeds"};
        case 0x49:
            return {VifeEffect::Count, "_upper_limit_exceeds"};
        // E100 uf1b: date of the begin (b=0) or end (b=1) of the first (f=0) or last (f=1) exceed
        // of the lower (u=0) or upper (u=1) limit.
        case 0x42:
            return {VifeEffect::DateTime, "_lower_limit_first_exceed_begin"};
        case 0x43:
            return {VifeEffect::DateTime, "_lower_limit_first_exceed_end"};
        case 0x46:
            return {VifeEffect::DateTime, "_lower_limit_last_exceed_begin"};
        case 0x47:
            return {VifeEffect::DateTime, "_lower_limit_last_exceed_end"};
        case 0x4A:
            return {VifeEffect::DateTime, "_upper_limit_first_exceed_begin"};
        case 0x4B:
            return {VifeEffect::DateTime, "_upper_limit_first_exceed_end"};
        case 0x4E:
            return {VifeEffect::DateTime, "_upper_limit_last_exceed_begin"};
        case 0x4F:
            return {VifeEffect::DateTime, "_upper_limit_last_exceed_end"};
        case 0x7C:
            return {VifeEffect::Unknown, "extension of combinable VIFE"};
        case 0x7D:
            return {VifeEffect::Scale, "", 3};
        case 0x7E:
            return {VifeEffect::Suffix, "_future"};
        case 0x7F:
            return {VifeEffect::Manufacturer, "manufacturer-specific VIFE"};
        default:
            break;
    }
    if (code >= 0x50 && code <= 0x5F) {
        // E101 ufnn: duration of the first/last exceed of the lower/upper limit, nn = s/min/h/d.
        static constexpr std::array<std::string_view, 4> kNames{
            "_lower_limit_first_exceed_duration", "_lower_limit_last_exceed_duration",
            "_upper_limit_first_exceed_duration", "_upper_limit_last_exceed_duration"};
        return {VifeEffect::Duration, kNames[(code >> 2) & 0x03U], 0, kTimeUnits[code & 0x03U]};
    }
    switch (code) {
        // E110 0fnn: duration of D (the record's function, e.g. how long the maximum lasted),
        // first (f=0) or last (f=1), nn = s/min/h/d; E110 1u00: value during the lower/upper limit
        // exceed; E110 1f1b: date of D, first/last, begin/end. (libmbus's 2004 table and
        // wmbusmeters' VIFCombinable agree on these; 0x69 and 0x6D differ between editions.)
        case 0x68:
            return {VifeEffect::Suffix, "_during_lower_limit_exceed"};
        case 0x6C:
            return {VifeEffect::Suffix, "_during_upper_limit_exceed"};
        case 0x6A:
            return {VifeEffect::DateTime, "_date_first_begin"};
        case 0x6B:
            return {VifeEffect::DateTime, "_date_first_end"};
        case 0x6E:
            return {VifeEffect::DateTime, "_date_last_begin"};
        case 0x6F:
            return {VifeEffect::DateTime, "_date_last_end"};
        default:
            break;
    }
    if (code >= 0x60 && code <= 0x67) {
        return {VifeEffect::Duration, code < 0x64 ? "_duration_first" : "_duration_last", 0,
                kTimeUnits[code & 0x03U]};
    }
    if (code >= 0x70 && code <= 0x77) {
        return {VifeEffect::Scale, "", static_cast<int>(code & 0x07U) - 6};
    }
    if (code >= 0x78 && code <= 0x7B) {
        // Additive correction constant 10^(nn-3) x unit of the VIF: the record holds the offset.
        // (unverified: whether it should rather be added to another record)
        return {VifeEffect::Suffix, "_additive_correction", static_cast<int>(code & 0x03U) - 3};
    }
    return {VifeEffect::Unknown, "not decoded"};
}

}  // namespace passerelle::connectors::mbus
