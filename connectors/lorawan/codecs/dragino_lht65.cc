// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/dragino_lht65.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "connectors/lorawan/codecs/byte_reader.h"
#include "connectors/lorawan/codecs/codec_support.h"

namespace passerelle::connectors::lorawan {
namespace {

constexpr int kPort = 2;
constexpr std::size_t kLength = 11;
constexpr std::uint8_t kPollReply = 0x40;
constexpr std::uint8_t kNotConnected = 0x80;

enum ExternalSensor : std::uint8_t {
    kNone = 0,
    kTemperature = 1,
    kInterrupt = 4,
    kIlluminance = 5,
    kAdc = 6,
    kCounter16 = 7,
    kCounter32 = 8,
    kTemperatureAndTime = 9,
    kProbeId = 15,
};

std::string probe_id(std::span<const std::uint8_t> bytes) {
    std::string id;
    for (std::size_t index : {2U, 3U, 4U, 5U, 7U, 8U, 9U, 10U}) {
        id += fmt::format("{:02x}", bytes[index]);
    }
    return id;
}

// Bytes 7-10 by external sensor type.
void decode_external(std::uint8_t sensor, bool connected, ByteReader reader,
                     DecodedPayload& payload) {
    const bool probe = sensor == kTemperature || sensor == kTemperatureAndTime;
    if (probe && !connected) {
        payload.notes.emplace_back(
            "the external probe is not connected (Ext bit 7): no external_temperature");
    }
    reader.skip(7);
    switch (sensor) {
        case kNone:
        case kProbeId:
            break;
        case kTemperature:
            if (connected) {
                add_reading(payload, "external_temperature", reader.int_be(2) / 100.0, "Cel");
            }
            break;
        case kInterrupt:
            add_reading(payload, "interrupt_level", reader.u8() != 0 ? 1 : 0, "");
            add_reading(payload, "interrupt", reader.u8() != 0 ? 1 : 0, "");
            break;
        case kIlluminance:
            add_reading(payload, "illuminance", reader.uint_be(2), "lx");
            break;
        case kAdc:
            add_reading(payload, "adc_voltage", reader.uint_be(2) / 1000.0, "V");
            break;
        case kCounter16:
            add_reading(payload, "count", reader.uint_be(2), "count");
            break;
        case kCounter32:
            add_reading(payload, "count", reader.uint_be(4), "count");
            break;
        case kTemperatureAndTime:
            payload.notes.push_back(
                fmt::format("the probe's reading carries the device time {} (unix seconds)",
                            reader.uint_be(4)));
            break;
        default:
            payload.notes.push_back(fmt::format(
                "external sensor type {} is unknown: bytes 7-10 are not decoded", sensor));
            break;
    }
}

}  // namespace

Result<DecodedPayload> decode_dragino_lht65(const PayloadInput& uplink) {
    if (uplink.f_port && *uplink.f_port != kPort) {
        return make_error("dragino-lht65.bad-fport",
                          fmt::format("LHT65 readings come on fPort 2, not {}", *uplink.f_port));
    }
    if (uplink.bytes.size() != kLength) {
        return make_error(
            "dragino-lht65.bad-length",
            fmt::format("an LHT65 uplink has 11 bytes, this one {}", uplink.bytes.size()));
    }
    const std::uint8_t ext = uplink.bytes[6];
    if ((ext & kPollReply) != 0) {
        return make_error("dragino-lht65.poll-reply",
                          fmt::format("Ext {} marks a reply to a datalog poll: past readings in "
                                      "another layout, not decoded",
                                      hex_byte(ext)));
    }
    const auto sensor = static_cast<std::uint8_t>(ext & 0x0FU);
    const bool connected = (ext & kNotConnected) == 0;
    DecodedPayload payload;
    ByteReader reader(uplink.bytes);
    if (sensor == kTemperatureAndTime) {
        // The probe's temperature takes the battery's place; its status moves to byte 4.
        const double temperature = reader.int_be(2) / 100.0;
        if (connected) {
            add_reading(payload, "external_temperature", temperature, "Cel");
        }
        add_reading(payload, "battery_status", uplink.bytes[4] >> 6U, "");
    } else {
        const std::uint32_t battery = reader.uint_be(2);
        add_reading(payload, "battery", (battery & 0x3FFFU) / 1000.0, "V");
        add_reading(payload, "battery_status", battery >> 14U, "");
    }
    if (sensor != kProbeId) {
        add_reading(payload, "temperature", reader.int_be(2) / 100.0, "Cel");
        add_reading(payload, "humidity", (reader.uint_be(2) & 0x0FFFU) / 10.0, "%RH");
    } else {
        payload.notes.push_back(
            fmt::format("the external probe's id is {}", probe_id(uplink.bytes)));
    }
    decode_external(sensor, connected, ByteReader(uplink.bytes), payload);
    return payload;
}

}  // namespace passerelle::connectors::lorawan
