// SPDX-License-Identifier: Apache-2.0
// One fixed encoding per quantity, rounding to its resolution and refusing what it cannot hold.
#include "connectors/wmbus/record_encoder.h"

#include <array>
#include <chrono>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "connectors/mbus/data_field.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kMaxDifes = 10;  // as the decoder accepts (EN 13757-3)
constexpr std::uint8_t kDifExtension = 0x80;
constexpr std::uint8_t kStorageBit = 0x40;
constexpr std::int64_t kInt16Min = -32768;
constexpr std::int64_t kInt16Max = 32767;
constexpr std::int64_t kInt32Max = 2147483647;
constexpr std::int64_t kUint32Max = 4294967295;

struct Encoding {
    std::string_view name;  // as the decoder names the quantity
    std::string_view unit;  // of RecordSpec::value
    std::uint8_t dif_coding = 0;
    std::array<std::uint8_t, 2> vif{};
    std::size_t vif_size = 1;
    double scale = 1.0;  // transmitted integer per input unit
    std::int64_t min_raw = 0;
    std::int64_t max_raw = 0;
};

constexpr std::uint8_t kInt16 = 0x02;
constexpr std::uint8_t kInt32 = 0x04;

Encoding encoding_of(Quantity quantity) {
    switch (quantity) {
        case Quantity::Volume:
            return {"volume", "m3", kInt32, {0x13, 0}, 1, 1000.0, 0, kInt32Max};
        case Quantity::VolumeFlow:
            return {"volume_flow", "m3/h", kInt16, {0x3B, 0}, 1, 1000.0, 0, kInt16Max};
        case Quantity::Energy:
            return {"energy", "kWh", kInt32, {0x06, 0}, 1, 1.0, 0, kInt32Max};
        case Quantity::Power:
            return {"power", "W", kInt32, {0x2B, 0}, 1, 1.0, 0, kInt32Max};
        case Quantity::FlowTemperature:
            return {"flow_temperature", "Cel", kInt16, {0x59, 0}, 1, 100.0, kInt16Min, kInt16Max};
        case Quantity::ReturnTemperature:
            return {"return_temperature", "Cel", kInt16, {0x5D, 0}, 1, 100.0, kInt16Min, kInt16Max};
        case Quantity::DateTime:
            return {"date_time", "", kInt32, {0x6D, 0}, 1, 1.0, 0, 0};
        case Quantity::ErrorFlags:
            // Type D (bits): the whole 32 bits are flags, none a sign.
            return {"error_flags", "", kInt32, {0xFD, 0x17}, 2, 1.0, 0, kUint32Max};
    }
    return {};
}

std::size_t data_size(std::uint8_t dif_coding) {
    return dif_coding == kInt16 ? 2 : 4;
}

void append_le(std::vector<std::uint8_t>& out, std::int64_t value, std::size_t size) {
    // Two's complement, least significant byte first: the shift of a negative value keeps its
    // sign bits, which is what the upper bytes of a negative number are.
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(static_cast<std::uint8_t>((value >> (8 * i)) & 0xFF));
    }
}

Result<std::int64_t> raw_number(const Encoding& encoding, double value) {
    const double scaled = std::round(value * encoding.scale);
    const bool fits = std::isfinite(scaled) && !(encoding.min_raw == 0 && value < 0.0) &&
                      scaled >= static_cast<double>(encoding.min_raw) &&
                      scaled <= static_cast<double>(encoding.max_raw);
    if (!fits) {
        const std::string unit = encoding.unit.empty() ? "" : fmt::format(" {}", encoding.unit);
        return make_error(
            "wmbus.out-of-range",
            fmt::format("{} {}{} is out of range: DIF {:02X} VIF {} holds {} to {}{}",
                        encoding.name, value, unit, encoding.dif_coding,
                        mbus::to_hex(std::span(encoding.vif).first(encoding.vif_size)),
                        static_cast<double>(encoding.min_raw) / encoding.scale,
                        static_cast<double>(encoding.max_raw) / encoding.scale, unit));
    }
    return static_cast<std::int64_t>(scaled);
}

// Type F: minute, hour, then a type G date (day, month, two-digit year split over both bytes).
// The hundred-year bits stay 0, as meters send them; decoders then read years 0-80 as 20xx.
Result<std::int64_t> raw_date_time(double epoch_seconds) {
    using std::chrono::days;
    using std::chrono::floor;
    using std::chrono::minutes;
    using std::chrono::sys_days;
    using std::chrono::year_month_day;
    const bool finite = std::isfinite(epoch_seconds) && std::abs(epoch_seconds) < 1e12;
    const auto time = std::chrono::sys_seconds(
        std::chrono::seconds(finite ? static_cast<std::int64_t>(std::floor(epoch_seconds)) : 0));
    const sys_days day = floor<days>(time);
    const year_month_day date(day);
    const auto minute_of_day = floor<minutes>(time - day).count();
    const int year = static_cast<int>(date.year());
    if (!finite || year < 2000 || year > 2080) {
        const std::string text = finite ? fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", year,
                                                      static_cast<unsigned>(date.month()),
                                                      static_cast<unsigned>(date.day()),
                                                      minute_of_day / 60, minute_of_day % 60)
                                        : fmt::format("{}", epoch_seconds);
        return make_error("wmbus.out-of-range",
                          fmt::format("date_time {} is out of range: type F holds 2000-01-01 to "
                                      "2080-12-31 here",
                                      text));
    }
    const auto yy = static_cast<unsigned>(year - 2000);
    const std::uint32_t bytes = static_cast<std::uint32_t>(minute_of_day % 60) |
                                (static_cast<std::uint32_t>(minute_of_day / 60) << 8) |
                                ((static_cast<unsigned>(date.day()) | ((yy & 0x07U) << 5)) << 16) |
                                ((static_cast<unsigned>(date.month()) | ((yy >> 3) << 4)) << 24);
    return static_cast<std::int64_t>(bytes);
}

// DIF storage bit, then per DIFE 4 storage bits, 2 tariff bits and 1 subunit bit.
Result<std::vector<std::uint8_t>> data_information(const RecordSpec& record, std::uint8_t coding) {
    std::vector<std::uint8_t> out{
        static_cast<std::uint8_t>(coding | ((record.storage & 1U) != 0 ? kStorageBit : 0))};
    std::uint32_t storage = record.storage >> 1;
    std::uint32_t tariff = record.tariff;
    std::uint32_t subunit = record.subunit;
    while (storage != 0 || tariff != 0 || subunit != 0) {
        if (out.size() > kMaxDifes) {
            return make_error(
                "wmbus.out-of-range",
                fmt::format("storage {}, tariff {}, subunit {} need more than {} "
                            "DIFEs",
                            record.storage, record.tariff, record.subunit, kMaxDifes));
        }
        out.back() |= kDifExtension;
        out.push_back(static_cast<std::uint8_t>((storage & 0x0FU) | ((tariff & 0x03U) << 4) |
                                                ((subunit & 0x01U) << 6)));
        storage >>= 4;
        tariff >>= 2;
        subunit >>= 1;
    }
    return out;
}

}  // namespace

RecordSpec volume_m3(double m3) {
    return {Quantity::Volume, m3};
}

RecordSpec volume_flow_m3h(double m3_per_hour) {
    return {Quantity::VolumeFlow, m3_per_hour};
}

RecordSpec energy_kwh(double kwh) {
    return {Quantity::Energy, kwh};
}

RecordSpec power_w(double watts) {
    return {Quantity::Power, watts};
}

RecordSpec flow_temperature_c(double celsius) {
    return {Quantity::FlowTemperature, celsius};
}

RecordSpec return_temperature_c(double celsius) {
    return {Quantity::ReturnTemperature, celsius};
}

RecordSpec date_time(Timestamp time) {
    return {Quantity::DateTime, to_epoch_seconds(time)};
}

RecordSpec error_flags(std::uint32_t flags) {
    return {Quantity::ErrorFlags, static_cast<double>(flags)};
}

Result<std::vector<std::uint8_t>> encode_record(const RecordSpec& record) {
    const Encoding encoding = encoding_of(record.quantity);
    auto raw = record.quantity == Quantity::DateTime ? raw_date_time(record.value)
                                                     : raw_number(encoding, record.value);
    if (!raw) {
        return raw.error();
    }
    auto out = data_information(record, encoding.dif_coding);
    if (!out) {
        return out.error();
    }
    out->insert(out->end(), encoding.vif.begin(),
                encoding.vif.begin() + static_cast<std::ptrdiff_t>(encoding.vif_size));
    append_le(*out, *raw, data_size(encoding.dif_coding));
    return out;
}

Result<std::vector<std::uint8_t>> encode_records(std::span<const RecordSpec> records) {
    std::vector<std::uint8_t> out;
    for (const RecordSpec& record : records) {
        auto bytes = encode_record(record);
        if (!bytes) {
            return bytes.error();
        }
        out.insert(out.end(), bytes->begin(), bytes->end());
    }
    return out;
}

}  // namespace passerelle::connectors::wmbus
