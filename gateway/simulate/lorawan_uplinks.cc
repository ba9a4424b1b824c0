// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/lorawan_uplinks.h"

#include <cmath>
#include <cstdint>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/lorawan/device_adapter.h"
#include "gateway/core/topic.h"
#include "gateway/simulate/field_messages.h"

namespace passerelle::simulate {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr const char* kApplication = "simulateur";
constexpr int kFPort = 5;

std::string base64(const Bytes& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t chunk = (static_cast<std::uint32_t>(bytes[i]) << 16U) |
                                    (i + 1 < bytes.size() ? bytes[i + 1] << 8U : 0U) |
                                    (i + 2 < bytes.size() ? bytes[i + 2] : 0U);
        out += kAlphabet[(chunk >> 18U) & 63U];
        out += kAlphabet[(chunk >> 12U) & 63U];
        out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6U) & 63U] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[chunk & 63U] : '=';
    }
    return out;
}

void put_int16(Bytes& out, double value) {
    const auto raw = static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(value)));
    out.push_back(static_cast<std::uint8_t>(raw >> 8U));
    out.push_back(static_cast<std::uint8_t>(raw & 0xFFU));
}

// One reading in the device's payload format, as its maker documents it.
Status encode(const std::string& codec, const Reading& reading, Bytes& out) {
    const auto* number = std::get_if<double>(&reading.value);
    const bool temperature = reading.quantity == "temperature" && reading.unit == "Cel";
    const bool humidity = reading.quantity == "humidity" && reading.unit == "%RH";
    if (number != nullptr && codec == "elsys" && (temperature || humidity)) {
        if (temperature) {
            out.push_back(0x01);
            put_int16(out, *number * 10.0);  // 0.1 °C, big-endian
        } else {
            out.push_back(0x02);
            out.push_back(static_cast<std::uint8_t>(std::lround(*number)));
        }
        return Ok{};
    }
    if (number != nullptr && codec == "lpp" && (temperature || humidity)) {
        out.push_back(1);  // channel
        if (temperature) {
            out.push_back(103);
            put_int16(out, *number * 10.0);
        } else {
            out.push_back(104);
            out.push_back(static_cast<std::uint8_t>(std::lround(*number * 2.0)));  // 0.5 %
        }
        return Ok{};
    }
    return make_error("simulate.lorawan-quantity",
                      fmt::format("device of {}: the simulator cannot send '{}' ({}) with codec "
                                  "'{}'",
                                  reading.entity, reading.quantity, reading.unit, codec));
}

// For a network-server device, the decoded object its server would give: each reading at the
// pointer of the field with its quantity and unit, unscaled back to what the decoder wrote.
Status put_decoded(const LorawanBinding& device, const Reading& reading, nlohmann::json& object) {
    for (const FieldSpec& field : device.fields) {
        if (field.quantity.kind != TextSource::Kind::Constant ||
            field.quantity.constant != reading.quantity || field.unit != reading.unit) {
            continue;
        }
        try {
            nlohmann::json& member = object[nlohmann::json::json_pointer(field.pointer.text)];
            if (const auto* number = std::get_if<double>(&reading.value)) {
                member = (*number - field.offset) / field.scale;
            } else if (const auto* flag = std::get_if<bool>(&reading.value)) {
                member = *flag;
            } else {
                member = std::get<std::string>(reading.value);
            }
        } catch (const nlohmann::json::exception& e) {
            // Two fields' pointers that cannot share one object (/a, then /a/b).
            return make_error("simulate.lorawan-quantity",
                              fmt::format("device of {}: field '{}' cannot be written: {}",
                                          reading.entity, field.pointer.text, e.what()));
        }
        return Ok{};
    }
    return make_error("simulate.lorawan-quantity",
                      fmt::format("device of {}: no field of codec network-server gives '{}' ({})",
                                  reading.entity, reading.quantity, reading.unit));
}

class UplinkBuilder {
public:
    explicit UplinkBuilder(const Territory& territory) : adapter_(territory) {}

    Result<ScheduledReading> build(const LorawanBinding& device, std::vector<Reading> readings) {
        Bytes payload;
        nlohmann::json decoded = nlohmann::json::object();
        const bool by_server = device.codec == connectors::lorawan::kNetworkServerCodec;
        for (const Reading& reading : readings) {
            auto encoded = by_server ? put_decoded(device, reading, decoded)
                                     : encode(device.codec, reading, payload);
            if (!encoded) {
                return encoded.error();
            }
        }
        if (by_server) {
            payload = {0x00};  // the device's own bytes, which only the server's decoder reads
        }
        const Timestamp time = readings.front().time;
        const std::uint32_t f_cnt = f_counts_[device.dev_eui]++;
        const double spread = spread_of(device.entity);
        nlohmann::json up = {{"deduplicationId", fmt::format("{}-{}", device.dev_eui, f_cnt)},
                             {"time", format_utc(time)},
                             {"deviceInfo",
                              {{"tenantName", "Villeneuve"},
                               {"applicationId", kApplication},
                               {"applicationName", "capteurs-logements"},
                               {"deviceName", device.entity},
                               {"devEui", device.dev_eui}}},
                             {"fCnt", f_cnt},
                             {"fPort", kFPort},
                             {"data", base64(payload)},
                             {"rxInfo",
                              {{{"gatewayId", "0016c001f0000001"},
                                {"rssi", std::lround(-75.0 - 40.0 * spread)},
                                {"snr", std::round(90.0 - 120.0 * spread) / 10.0}}}}};
        if (by_server) {
            up["object"] = std::move(decoded);
        }
        const std::string topic =
            fmt::format("application/{}/device/{}/event/up", kApplication, device.dev_eui);
        ScheduledReading item{topic, readings.front(), false, up.dump(), {}, {}};
        // What the gateway will publish: the codec's and the radio's readings.
        auto adapted = adapter_.adapt(topic, item.payload, time);
        if (!adapted) {
            return adapted.error();
        }
        if (adapted->has_value()) {
            item.carried = std::move((*adapted)->readings);
        }
        if (!item.carried.empty()) {
            item.reading = item.carried.front();
        }
        return item;
    }

private:
    connectors::lorawan::DeviceAdapter adapter_;
    std::map<std::string, std::uint32_t> f_counts_;
};

bool takes_chirpstack(const config::ConnectorSettings& connectors) {
    const std::string example =
        fmt::format("application/{}/device/0000000000000000/event/up", kApplication);
    for (const auto& filter : connectors.lorawan_topics) {
        if (topic_matches(filter, example)) {
            return true;
        }
    }
    return false;
}

}  // namespace

Result<std::vector<ScheduledReading>> as_lorawan_uplinks(
    std::vector<ScheduledReading> schedule, const Territory& territory,
    const config::ConnectorSettings& connectors) {
    if (territory.lorawan.empty() || !takes_chirpstack(connectors)) {
        return schedule;
    }
    std::map<std::string, const LorawanBinding*> devices;  // by entity
    for (const LorawanBinding& device : territory.lorawan.all()) {
        devices.emplace(device.entity, &device);
    }
    UplinkBuilder builder(territory);
    return replace_device_readings(
        std::move(schedule),
        [&devices](const std::string& entity) { return devices.contains(entity); },
        [&](const std::string& entity, std::vector<Reading> readings) {
            return builder.build(*devices.at(entity), std::move(readings));
        });
}

}  // namespace passerelle::simulate
