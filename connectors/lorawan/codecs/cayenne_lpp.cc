// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/cayenne_lpp.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "connectors/lorawan/codecs/byte_reader.h"
#include "connectors/lorawan/codecs/codec_support.h"

namespace passerelle::connectors::lorawan {
namespace {

constexpr std::string_view kLppCodec = "lpp";

// A type whose value is one number: value = raw x multiply / divide.
constexpr auto kLppScalarTypes = std::to_array<ScalarType>({
    {0, "digital input", 1, false, 1, 1, "digital_input", ""},
    {1, "digital output", 1, false, 1, 1, "digital_output", ""},
    {2, "analog input", 2, true, 1, 100, "analog_input", ""},
    {3, "analog output", 2, true, 1, 100, "analog_output", ""},
    {100, "generic sensor", 4, false, 1, 1, "generic", ""},
    {101, "illuminance", 2, false, 1, 1, "illuminance", "lx"},
    {102, "presence", 1, false, 1, 1, "presence", ""},
    {103, "temperature", 2, true, 1, 10, "temperature", "Cel"},
    {104, "relative humidity", 1, false, 1, 2, "humidity", "%RH"},
    {115, "barometer", 2, false, 10, 1, "pressure", "Pa"},  // 0.1 hPa = 10 Pa
    {116, "voltage", 2, false, 1, 100, "voltage", "V"},
    {117, "current", 2, false, 1, 1000, "current", "A"},
    {118, "frequency", 4, false, 1, 1, "frequency", "Hz"},
    {120, "percentage", 1, false, 1, 1, "percentage", "%"},
    {121, "altitude", 2, true, 1, 1, "altitude", "m"},
    {128, "power", 2, false, 1, 1, "power", "W"},
    {130, "distance", 4, false, 1, 1000, "distance", "m"},
    {131, "energy", 4, false, 1, 1000, "energy", "kWh"},
    {132, "direction", 2, false, 1, 1, "direction", "deg"},
    {133, "unix time", 4, false, 1, 1, "unix_time", "s"},
    {142, "switch", 1, false, 1, 1, "switch", ""},
});

constexpr std::uint8_t kAccelerometer = 113;
constexpr std::uint8_t kGyrometer = 134;
constexpr std::uint8_t kLppGps = 136;

}  // namespace

Result<DecodedPayload> decode_cayenne_lpp(const PayloadInput& uplink) {
    if (uplink.bytes.empty()) {
        return empty_error(kLppCodec);
    }
    DecodedPayload payload;
    // Room for the readings at once, a record being a channel, a type and at least one byte of
    // value: a vector grown reading by reading costs several allocations per uplink.
    payload.readings.reserve(uplink.bytes.size() / 3);
    ByteReader reader(uplink.bytes);
    bool gyrometer_noted = false;
    while (!reader.done()) {
        const std::size_t at = reader.offset();
        const int channel = reader.u8();
        if (reader.done()) {
            return make_error(
                "lpp.truncated",
                fmt::format("truncated record at byte {}: channel {} has no type byte", at,
                            channel));
        }
        const std::uint8_t type = reader.u8();
        const ScalarType* scalar = find_scalar(kLppScalarTypes, type);
        std::size_t size = 0;
        std::string_view label;
        if (scalar != nullptr) {
            size = scalar->size;
            label = scalar->label;
        } else if (type == kAccelerometer || type == kGyrometer) {
            size = 6;
            label = type == kAccelerometer ? "accelerometer" : "gyrometer";
        } else if (type == kLppGps) {
            size = 9;
            label = "GPS";
        } else {
            return make_error(
                "lpp.unknown-type",
                fmt::format("unknown type {} at byte {} (channel {}): its size is unknown, so the "
                            "records after it cannot be found",
                            hex_byte(type), at + 1, channel));
        }
        if (!reader.has(size)) {
            return truncated_error(
                kLppCodec, "record", at,
                fmt::format("channel {} type {} ({})", channel, hex_byte(type), label), size,
                reader.remaining());
        }
        if (scalar != nullptr) {
            const double raw = scalar->is_signed ? static_cast<double>(reader.int_be(size))
                                                 : static_cast<double>(reader.uint_be(size));
            add_reading(payload, scalar->quantity, raw * scalar->multiply / scalar->divide,
                        scalar->unit, channel);
        } else if (type == kAccelerometer) {
            for (const char* axis : {"acceleration_x", "acceleration_y", "acceleration_z"}) {
                add_reading(payload, axis, reader.int_be(2) * kStandardGravity / 1000.0, "m/s2",
                            channel);
            }
        } else if (type == kGyrometer) {
            for (const char* axis :
                 {"angular_velocity_x", "angular_velocity_y", "angular_velocity_z"}) {
                add_reading(payload, axis, reader.int_be(2) / 100.0, "", channel);
            }
            if (!gyrometer_noted) {
                payload.notes.emplace_back(
                    "angular_velocity_x/_y/_z are in degrees per second, without a unit: SenML "
                    "has none for angular velocity");
                gyrometer_noted = true;
            }
        } else {
            add_reading(payload, "latitude", reader.int_be(3) / 10000.0, "lat", channel);
            add_reading(payload, "longitude", reader.int_be(3) / 10000.0, "lon", channel);
            add_reading(payload, "altitude", reader.int_be(3) / 100.0, "m", channel);
        }
    }
    return payload;
}

}  // namespace passerelle::connectors::lorawan
