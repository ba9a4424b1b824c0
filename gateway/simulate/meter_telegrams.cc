// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/meter_telegrams.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/wmbus/meter_adapter.h"
#include "connectors/wmbus/telegram_encoder.h"
#include "gateway/core/topic.h"
#include "gateway/simulate/field_messages.h"

namespace passerelle::simulate {
namespace {

namespace wmbus = connectors::wmbus;

constexpr double kSecondsPerHour = 3600.0;

// The receiver's topic: the connector's filter with its wildcards filled in.
std::string receiver_topic(const std::string& filter) {
    std::string topic;
    for (const auto level : split_topic(filter)) {
        if (!topic.empty()) {
            topic += '/';
        }
        topic += (level == "+" || level == "#") ? std::string_view("simulateur") : level;
    }
    return topic;
}

Result<wmbus::RecordSpec> record_of(const Reading& reading) {
    const auto* number = std::get_if<double>(&reading.value);
    if (number != nullptr) {
        const double v = *number;
        if (reading.quantity == "volume" && reading.unit == "m3") {
            return wmbus::volume_m3(v);
        }
        if (reading.quantity == "volume_flow" && reading.unit == "m3/s") {
            return wmbus::volume_flow_m3h(v * kSecondsPerHour);
        }
        if (reading.quantity == "energy" && reading.unit == "Wh") {
            return wmbus::energy_kwh(v / 1000.0);
        }
        if (reading.quantity == "power" && reading.unit == "W") {
            return wmbus::power_w(v);
        }
        if (reading.quantity == "flow_temperature" && reading.unit == "Cel") {
            return wmbus::flow_temperature_c(v);
        }
        if (reading.quantity == "return_temperature" && reading.unit == "Cel") {
            return wmbus::return_temperature_c(v);
        }
    }
    return make_error("simulate.meter-quantity",
                      fmt::format("meter {}: a telegram cannot carry '{}' in '{}'", reading.entity,
                                  reading.quantity, reading.unit));
}

std::uint8_t device_type(const Entity& entity) {
    return entity.type == "heat-meter" ? wmbus::kDeviceHeat : wmbus::kDeviceWater;
}

class TelegramBuilder {
public:
    TelegramBuilder(const Territory& territory, std::string topic)
        : territory_(territory), topic_(std::move(topic)), adapter_(territory) {}

    Result<ScheduledReading> build(const MeterBinding& meter, std::vector<Reading> readings) {
        const Entity* entity = territory_.entities.find(meter.entity);
        wmbus::TelegramSpec spec;
        spec.manufacturer = meter.manufacturer;
        spec.id = meter.id;
        spec.device_type = device_type(*entity);
        spec.access_number = access_numbers_[meter.entity]++;
        if (!meter.key_hex.empty()) {
            auto key = wmbus::parse_aes_key(meter.key_hex);
            if (!key) {
                return key.error();
            }
            spec.key = *key;
        }
        if (spec.manufacturer.empty()) {
            return make_error("simulate.meter-manufacturer",
                              fmt::format("meter {} of {}: the simulator needs its 'manufacturer' "
                                          "to build its telegrams",
                                          meter.id, meter.entity));
        }
        for (const Reading& reading : readings) {
            auto record = record_of(reading);
            if (!record) {
                return record.error();
            }
            spec.records.push_back(*record);
        }
        auto bytes = wmbus::encode_wireless_telegram(spec);
        if (!bytes) {
            return bytes.error();
        }
        const Timestamp time = readings.front().time;
        std::string hex;
        for (const std::uint8_t byte : *bytes) {
            hex += fmt::format("{:02X}", byte);
        }
        const nlohmann::json envelope = {{"telegram", hex}, {"time", format_utc(time)}};
        ScheduledReading item{topic_, readings.front(), false, envelope.dump(), {}, {}};
        // What the gateway will publish: the decoder's readings, not the scenario's.
        auto decoded = adapter_.adapt(item.payload, topic_, time);
        if (!decoded) {
            return decoded.error();
        }
        item.carried = std::move(decoded->readings);
        if (!item.carried.empty()) {
            item.reading = item.carried.front();
        }
        return item;
    }

private:
    const Territory& territory_;
    std::string topic_;
    wmbus::MeterAdapter adapter_;
    std::map<std::string, std::uint8_t> access_numbers_;
};

}  // namespace

Result<std::vector<ScheduledReading>> as_meter_telegrams(
    std::vector<ScheduledReading> schedule, const Territory& territory,
    const config::ConnectorSettings& connectors) {
    if (!connectors.wmbus || connectors.wmbus->topics.empty() || territory.meters.empty()) {
        return schedule;
    }
    std::map<std::string, const MeterBinding*> meters;  // by entity
    for (const MeterBinding& meter : territory.meters.all()) {
        meters.emplace(meter.entity, &meter);
    }
    TelegramBuilder builder(territory, receiver_topic(connectors.wmbus->topics.front()));
    return replace_device_readings(
        std::move(schedule),
        [&meters](const std::string& entity) { return meters.contains(entity); },
        [&](const std::string& entity, std::vector<Reading> readings) {
            return builder.build(*meters.at(entity), std::move(readings));
        });
}

}  // namespace passerelle::simulate
