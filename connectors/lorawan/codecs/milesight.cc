// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/milesight.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "connectors/lorawan/codecs/byte_reader.h"
#include "connectors/lorawan/codecs/codec_support.h"

namespace passerelle::connectors::lorawan {
namespace {

constexpr std::string_view kMilesightCodec = "milesight";

enum class Kind {
    Scalar,        // one number
    Illumination,  // three uint16: illuminance, infrared + visible, infrared
    History,       // skipped with a note
    DeviceInfo,    // skipped with a note
};

// One record kind: value = raw x multiply / divide for scalars.
struct RecordType {
    std::uint8_t channel;
    std::uint8_t type;
    std::string_view label;  // for messages and notes
    std::size_t size;        // 0 for history, whose size depends on the model
    Kind kind;
    bool is_signed;
    double multiply;
    double divide;
    std::string_view quantity;
    std::string_view unit;
};

constexpr auto kRecordTypes = std::to_array<RecordType>({
    {0x01, 0x75, "battery", 1, Kind::Scalar, false, 1, 1, "battery", "%EL"},
    {0x03, 0x67, "temperature", 2, Kind::Scalar, true, 1, 10, "temperature", "Cel"},
    {0x04, 0x68, "humidity", 1, Kind::Scalar, false, 1, 2, "humidity", "%RH"},
    {0x05, 0x6A, "activity", 2, Kind::Scalar, false, 1, 1, "activity", ""},
    {0x06, 0x65, "illumination", 6, Kind::Illumination, false, 1, 1, "", ""},
    {0x07, 0x7D, "CO2", 2, Kind::Scalar, false, 1, 1, "co2", "ppm"},
    {0x08, 0x7D, "TVOC", 2, Kind::Scalar, false, 1, 1000, "tvoc", "ppm"},
    {0x09, 0x73, "pressure", 2, Kind::Scalar, false, 10, 1, "pressure", "Pa"},  // 0.1 hPa
    {0x20, 0xCE, "history", 0, Kind::History, false, 1, 1, "", ""},
    {0xFF, 0x01, "protocol version", 1, Kind::DeviceInfo, false, 1, 1, "", ""},
    {0xFF, 0x09, "hardware version", 2, Kind::DeviceInfo, false, 1, 1, "", ""},
    {0xFF, 0x0A, "firmware version", 2, Kind::DeviceInfo, false, 1, 1, "", ""},
    {0xFF, 0x0B, "power-on event", 1, Kind::DeviceInfo, false, 1, 1, "", ""},
    {0xFF, 0x0F, "device class", 1, Kind::DeviceInfo, false, 1, 1, "", ""},
    {0xFF, 0x16, "serial number", 8, Kind::DeviceInfo, false, 1, 1, "", ""},
});

const RecordType* find_record_type(std::uint8_t channel, std::uint8_t type) {
    for (const RecordType& record : kRecordTypes) {
        if (record.channel == channel && record.type == type) {
            return &record;
        }
    }
    return nullptr;
}

// A history record's size (7, 8 or 9 bytes by model) is the one after which the frame ends or
// another history record starts; 0 when none fits.
std::size_t history_size(const ByteReader& reader) {
    for (std::size_t size : {7U, 8U, 9U}) {
        if (reader.remaining() == size ||
            (reader.has(size + 2) && reader.peek(size) == 0x20 && reader.peek(size + 1) == 0xCE)) {
            return size;
        }
    }
    return 0;
}

std::string history_note(std::size_t at, std::size_t size, ByteReader& reader) {
    const std::uint32_t time = reader.uint_le(4);
    const double temperature = reader.int_le(2) / 10.0;
    const double humidity = reader.u8() / 2.0;
    std::string values = fmt::format("{} Cel, {} %RH", temperature, humidity);
    if (size == 9) {
        values += fmt::format(", {} ppm", reader.uint_le(2));
    } else if (size == 8) {
        reader.skip(1);  // reserved on the EM300-TH
    }
    return fmt::format(
        "history record at byte {} skipped (unix time {}: {}): past readings are "
        "not current ones",
        at, time, values);
}

std::string device_info_note(const RecordType& record, ByteReader& reader) {
    std::string hex;
    for (std::size_t i = 0; i < record.size; ++i) {
        hex += fmt::format("{:02x}", reader.u8());
    }
    return fmt::format("device information: {} {}", record.label, hex);
}

}  // namespace

Result<DecodedPayload> decode_milesight(const PayloadInput& uplink) {
    if (uplink.bytes.empty()) {
        return empty_error(kMilesightCodec);
    }
    DecodedPayload payload;
    // Room for the readings at once, a record being a channel, a type and at least one byte of
    // value: a vector grown reading by reading costs several allocations per uplink.
    payload.readings.reserve(uplink.bytes.size() / 3);
    ByteReader reader(uplink.bytes);
    while (!reader.done()) {
        const std::size_t at = reader.offset();
        const std::uint8_t channel = reader.u8();
        if (reader.done()) {
            return make_error("milesight.truncated",
                              fmt::format("truncated record at byte {}: channel {} has no type "
                                          "byte",
                                          at, hex_byte(channel)));
        }
        const std::uint8_t type = reader.u8();
        const RecordType* record = find_record_type(channel, type);
        if (record == nullptr) {
            return make_error("milesight.unknown-record",
                              fmt::format("unknown record channel {} type {} at byte {}: its size "
                                          "is unknown, so the records after it cannot be found",
                                          hex_byte(channel), hex_byte(type), at));
        }
        if (record->kind == Kind::History) {
            const std::size_t size = history_size(reader);
            if (size == 0) {
                return make_error("milesight.bad-history",
                                  fmt::format("history record at byte {}: {} bytes follow, not "
                                              "one 7-, 8- or 9-byte record",
                                              at, reader.remaining()));
            }
            payload.notes.push_back(history_note(at, size, reader));
            continue;
        }
        if (!reader.has(record->size)) {
            return truncated_error(kMilesightCodec, "record", at,
                                   fmt::format("channel {} type {} ({})", hex_byte(channel),
                                               hex_byte(type), record->label),
                                   record->size, reader.remaining());
        }
        switch (record->kind) {
            case Kind::Scalar: {
                const double raw = record->is_signed
                                       ? static_cast<double>(reader.int_le(record->size))
                                       : static_cast<double>(reader.uint_le(record->size));
                add_reading(payload, record->quantity, raw * record->multiply / record->divide,
                            record->unit);
                break;
            }
            case Kind::Illumination:
                add_reading(payload, "illuminance", reader.uint_le(2), "lx");
                add_reading(payload, "infrared_and_visible", reader.uint_le(2), "");
                add_reading(payload, "infrared", reader.uint_le(2), "");
                break;
            default:  // Kind::DeviceInfo
                payload.notes.push_back(device_info_note(*record, reader));
                break;
        }
    }
    return payload;
}

}  // namespace passerelle::connectors::lorawan
