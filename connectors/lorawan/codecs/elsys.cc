// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/elsys.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "connectors/lorawan/codecs/byte_reader.h"
#include "connectors/lorawan/codecs/codec_support.h"

namespace passerelle::connectors::lorawan {
namespace {

constexpr std::string_view kElsysCodec = "elsys";

// A type whose value is one number: value = raw x multiply / divide.
constexpr auto kElsysScalarTypes = std::to_array<ScalarType>({
    {0x01, "temperature", 2, true, 1, 10, "temperature", "Cel"},
    {0x02, "humidity", 1, false, 1, 1, "humidity", "%RH"},
    {0x04, "light", 2, false, 1, 1, "illuminance", "lx"},
    {0x05, "motion", 1, false, 1, 1, "motion", "count"},
    {0x06, "CO2", 2, false, 1, 1, "co2", "ppm"},
    {0x07, "VDD", 2, false, 1, 1000, "battery", "V"},
    {0x08, "analog 1", 2, false, 1, 1000, "analog_1", "V"},
    {0x0A, "pulse 1", 2, false, 1, 1, "pulse_1", "count"},
    {0x0B, "pulse 1 absolute", 4, false, 1, 1, "pulse_1_total", "count"},
    {0x0C, "external temperature", 2, true, 1, 10, "external_temperature", "Cel"},
    {0x0D, "external digital", 1, false, 1, 1, "digital_input", ""},
    {0x0E, "external distance", 2, false, 1, 1000, "distance", "m"},
    {0x0F, "acceleration motion", 1, false, 1, 1, "acceleration_motion", "count"},
    {0x11, "occupancy", 1, false, 1, 1, "occupancy", ""},
    {0x12, "water leak", 1, false, 1, 1, "water_leak", ""},
    {0x14, "pressure", 4, false, 1, 10, "pressure", "Pa"},  // 1/1000 hPa = 1/10 Pa
    {0x16, "pulse 2", 2, false, 1, 1, "pulse_2", "count"},
    {0x17, "pulse 2 absolute", 4, false, 1, 1, "pulse_2_total", "count"},
    {0x18, "analog 2", 2, false, 1, 1000, "analog_2", "V"},
    {0x1A, "external digital 2", 1, false, 1, 1, "digital_input_2", ""},
    {0x1B, "external analog uV", 4, true, 1, 1e6, "external_analog", "V"},
    {0x1C, "TVOC", 2, false, 1, 1000, "tvoc", "ppm"},
});

constexpr std::uint8_t kAcceleration = 0x03;
constexpr std::uint8_t kElsysGps = 0x09;
constexpr std::uint8_t kIrTemperature = 0x10;
constexpr std::uint8_t kGridEye = 0x13;
constexpr std::uint8_t kSound = 0x15;
constexpr std::uint8_t kExternalTemperature2 = 0x19;
constexpr std::uint8_t kDebug = 0x3D;
constexpr std::uint8_t kSettings = 0x3E;

// The size and label of a type that is not one number; size 0 for an unknown type.
struct Shape {
    std::size_t size = 0;
    std::string_view label;
};

Shape composite_shape(std::uint8_t type) {
    switch (type) {
        case kAcceleration:
            return {3, "acceleration"};
        case kElsysGps:
            return {6, "GPS"};
        case kIrTemperature:
            return {4, "IR temperature"};
        case kGridEye:
            return {65, "Grid-EYE"};
        case kSound:
            return {2, "sound"};
        case kExternalTemperature2:
            return {2, "external temperature 2"};
        case kDebug:
            return {4, "debug"};
        default:
            return {};
    }
}

void decode_composite(std::uint8_t type, std::size_t at, ByteReader& reader,
                      DecodedPayload& payload, int& probes) {
    switch (type) {
        case kAcceleration:
            for (const char* axis : {"acceleration_x", "acceleration_y", "acceleration_z"}) {
                add_reading(payload, axis, reader.i8() * kStandardGravity / 63.0, "m/s2");
            }
            break;
        case kElsysGps:
            add_reading(payload, "gps_latitude_raw", reader.uint_be(3), "");
            add_reading(payload, "gps_longitude_raw", reader.uint_be(3), "");
            payload.notes.emplace_back(
                "GPS: the raw 24-bit latitude and longitude are kept, their scale is "
                "device-specific");
            break;
        case kIrTemperature:
            add_reading(payload, "ir_temperature_internal", reader.int_be(2) / 10.0, "Cel");
            add_reading(payload, "ir_temperature_external", reader.int_be(2) / 10.0, "Cel");
            break;
        case kGridEye: {
            const int reference = reader.u8();
            add_reading(payload, "grideye_reference", reference, "Cel");
            for (int pixel = 0; pixel < 64; ++pixel) {
                add_reading(payload, fmt::format("grideye_{:02}", pixel),
                            reference + reader.u8() / 10.0, "Cel");
            }
            break;
        }
        case kSound:
            add_reading(payload, "sound_peak", reader.u8(), "dB");
            add_reading(payload, "sound_average", reader.u8(), "dB");
            break;
        case kExternalTemperature2:
            // Several probes on one input send one record each; the channel tells them apart.
            add_reading(payload, "external_temperature_2", reader.int_be(2) / 10.0, "Cel",
                        ++probes);
            break;
        default:  // kDebug
            payload.notes.push_back(fmt::format(
                "debug record (type 0x3D) at byte {} skipped: {:08X}", at, reader.uint_be(4)));
            break;
    }
}

}  // namespace

Result<DecodedPayload> decode_elsys(const PayloadInput& uplink) {
    if (uplink.bytes.empty()) {
        return empty_error(kElsysCodec);
    }
    DecodedPayload payload;
    // Room for the readings at once, a record being a type and at least one byte of value: a
    // vector grown reading by reading costs several allocations per uplink.
    payload.readings.reserve(uplink.bytes.size() / 2);
    ByteReader reader(uplink.bytes);
    int probes = 0;
    while (!reader.done()) {
        const std::size_t at = reader.offset();
        const std::uint8_t type = reader.u8();
        if (type == kSettings) {
            payload.notes.push_back(
                fmt::format("sensor settings (type 0x3E) at byte {}: the {} bytes from there are "
                            "configuration, not readings",
                            at, reader.remaining() + 1));
            break;
        }
        const ScalarType* scalar = find_scalar(kElsysScalarTypes, type);
        const Shape shape =
            scalar != nullptr ? Shape{scalar->size, scalar->label} : composite_shape(type);
        if (shape.size == 0) {
            return make_error(
                "elsys.unknown-type",
                fmt::format("unknown type {} at byte {}: its size is unknown, so the records "
                            "after it cannot be found",
                            hex_byte(type), at));
        }
        if (!reader.has(shape.size)) {
            return truncated_error(kElsysCodec, "TLV", at,
                                   fmt::format("type {} ({})", hex_byte(type), shape.label),
                                   shape.size, reader.remaining());
        }
        if (scalar == nullptr) {
            decode_composite(type, at, reader, payload, probes);
            continue;
        }
        const double raw = scalar->is_signed ? static_cast<double>(reader.int_be(scalar->size))
                                             : static_cast<double>(reader.uint_be(scalar->size));
        add_reading(payload, scalar->quantity, raw * scalar->multiply / scalar->divide,
                    scalar->unit);
    }
    return payload;
}

}  // namespace passerelle::connectors::lorawan
