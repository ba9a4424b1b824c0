// SPDX-License-Identifier: Apache-2.0
// Link frame, transport header and data records put together; naming and JSON of the result.
#include "connectors/mbus/mbus_decoder.h"

#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "gateway/core/senml.h"

namespace passerelle::connectors::mbus {
namespace {

std::string_view frame_kind_name(FrameKind kind) {
    switch (kind) {
        case FrameKind::Ack:
            return "single character E5 (ACK)";
        case FrameKind::Short:
            return "short frame";
        case FrameKind::Control:
            return "control frame";
        case FrameKind::Long:
            return "long frame";
    }
    return "frame";
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}


}  // namespace

Result<DecodedTelegram> decode_wired_frame(std::span<const std::uint8_t> frame) {
    auto link = parse_link_frame(frame);
    if (!link) {
        return link.error();
    }
    if (link->kind != FrameKind::Long) {
        return make_error("mbus.no-data",
                          fmt::format("frame carries no data: {}", frame_kind_name(link->kind)));
    }
    DecodedTelegram telegram;
    telegram.c = link->c;
    telegram.a = link->a;
    telegram.ci = link->ci;
    auto header = parse_transport_header(link->ci, link->data, link->data_offset);
    if (!header) {
        return header.error();
    }
    telegram.header = std::move(*header);
    // Security mode, bits 8-12 of the configuration word (EN 13757-7, OMS). Wired meters put other
    // things in this "signature" word (libmbus example_data_01: 0xB627), so only the encryption
    // modes that exist are refused: 5 (AES-CBC), 7 (AES-CBC, derived key), 13 (TLS).
    if (const unsigned mode = (telegram.header.signature >> 8) & 0x1FU;
        mode == 5 || mode == 7 || mode == 13) {
        return make_error("mbus.encrypted",
                          fmt::format("encrypted payload (security mode {}, configuration word "
                                      "0x{:04X}) is not supported for wired M-Bus",
                                      mode, telegram.header.signature));
    }
    const std::size_t records_at = link->data_offset + telegram.header.size;
    auto records = parse_records(link->data.subspan(telegram.header.size), records_at);
    if (!records) {
        return records.error();
    }
    telegram.records = std::move(*records);
    telegram.more_records_follow =
        !telegram.records.empty() && telegram.records.back().more_records_follow;
    return telegram;
}

std::string record_name(const DataRecord& record) {
    std::string name = record.quantity;
    if (record.storage != 0) {
        name += fmt::format("_s{}", record.storage);
    }
    if (record.tariff != 0) {
        name += fmt::format("_t{}", record.tariff);
    }
    if (record.subunit != 0) {
        name += fmt::format("_sub{}", record.subunit);
    }
    switch (record.function) {
        case Function::Instantaneous:
            break;
        case Function::Maximum:
            name += "_max";
            break;
        case Function::Minimum:
            name += "_min";
            break;
        case Function::Error:
            name += "_err";
            break;
    }
    return name;
}

std::vector<std::string> record_names(const DecodedTelegram& telegram) {
    return record_names(telegram.records);
}

std::vector<std::string> record_names(std::span<const DataRecord> records) {
    std::vector<std::string> names;
    names.reserve(records.size());
    std::unordered_map<std::string, int> seen;
    for (const DataRecord& record : records) {
        std::string name = record_name(record);
        const int count = ++seen[name];
        if (count > 1) {
            name += fmt::format("_{}", count);
        }
        names.push_back(std::move(name));
    }
    return names;
}

std::vector<Reading> to_readings(const DecodedTelegram& telegram, std::string_view provider,
                                 std::string_view entity, Timestamp time) {
    return to_readings(telegram.records, provider, entity, time);
}

std::vector<Reading> to_readings(std::span<const DataRecord> records, std::string_view provider,
                                 std::string_view entity, Timestamp time) {
    const std::vector<std::string> names = record_names(records);
    std::vector<Reading> readings;
    readings.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const DataRecord& record = records[i];
        if (!record.value) {
            continue;
        }
        Reading reading;
        reading.provider = std::string(provider);
        reading.entity = std::string(entity);
        reading.quantity = names[i];
        reading.value = *record.value;
        reading.unit = record.unit;
        reading.time = time;
        readings.push_back(std::move(reading));
    }
    return readings;
}

nlohmann::json to_json(const DecodedTelegram& telegram) {
    const TransportHeader& header = telegram.header;
    const bool long_header = header.kind == HeaderKind::Long;
    const bool any_header = header.kind != HeaderKind::None;
    nlohmann::json out = nlohmann::json::object();
    out["codec"] = "mbus";
    out["id"] = long_header ? nlohmann::json(header.id) : nlohmann::json(nullptr);
    out["manufacturer"] =
        long_header ? nlohmann::json(header.manufacturer) : nlohmann::json(nullptr);
    out["version"] = long_header ? nlohmann::json(header.version) : nlohmann::json(nullptr);
    out["medium"] = long_header ? nlohmann::json(std::string(medium_name(header.device_type)))
                                : nlohmann::json(nullptr);
    out["access_number"] =
        any_header ? nlohmann::json(header.access_number) : nlohmann::json(nullptr);
    out["status"] = any_header ? nlohmann::json(header.status) : nlohmann::json(nullptr);
    out["signature"] = any_header ? nlohmann::json(header.signature) : nlohmann::json(nullptr);
    out["address"] = telegram.a;
    out["c"] = telegram.c;
    out["ci"] = telegram.ci;
    out["records"] = records_to_json(telegram.records);
    return out;
}

nlohmann::json records_to_json(std::span<const DataRecord> records) {
    nlohmann::json out = nlohmann::json::array();
    const std::vector<std::string> names = record_names(records);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const DataRecord& record = records[i];
        nlohmann::json item = nlohmann::json::object();
        item["n"] = names[i];
        if (!record.unit.empty()) {
            item["u"] = record.unit;
        }
        if (record.value) {
            put_senml_value(item, *record.value);
        }
        item["dif_vif"] = record.header_hex;
        if (!record.note.empty()) {
            item["note"] = record.note;
        }
        if (!record.error.empty()) {
            item["error"] = record.error;
        }
        if (record.more_records_follow) {
            item["more_records_follow"] = true;
        }
        out.push_back(std::move(item));
    }
    return out;
}

nlohmann::json senml_pack(std::span<const DataRecord> records, std::string_view base_name) {
    nlohmann::json pack = nlohmann::json::array();
    const std::vector<std::string> names = record_names(records);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const DataRecord& record = records[i];
        if (!record.value) {
            continue;
        }
        nlohmann::json item = nlohmann::json::object();
        if (pack.empty() && !base_name.empty()) {
            item["bn"] = std::string(base_name);
        }
        item["n"] = names[i];
        if (!record.unit.empty()) {
            item["u"] = record.unit;
        }
        put_senml_value(item, *record.value);
        pack.push_back(std::move(item));
    }
    return pack;
}

Result<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 2);
    int high = -1;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        const int value = hex_value(c);
        if (value < 0) {
            const auto byte = static_cast<unsigned char>(c);
            return make_error("mbus.bad-hex",
                              byte >= 0x20 && byte < 0x7F
                                  ? fmt::format("not a hex digit '{}' at character {}", c, i)
                                  : fmt::format("not a hex digit 0x{:02X} at character {}",
                                                static_cast<unsigned>(byte), i));
        }
        ++digits;
        if (high < 0) {
            high = value;
        } else {
            bytes.push_back(static_cast<std::uint8_t>((high << 4) | value));
            high = -1;
        }
    }
    if (high >= 0) {
        return make_error("mbus.bad-hex", fmt::format("odd number of hex digits ({})", digits));
    }
    return bytes;
}

}  // namespace passerelle::connectors::mbus
