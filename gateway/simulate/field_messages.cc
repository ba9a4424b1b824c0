// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/field_messages.h"

#include "gateway/core/senml.h"

namespace passerelle::simulate {

Result<std::vector<ScheduledReading>> replace_device_readings(
    std::vector<ScheduledReading> schedule,
    const std::function<bool(const std::string& entity)>& is_device,
    const BuildFieldMessage& build) {
    std::vector<ScheduledReading> out;
    out.reserve(schedule.size());
    std::string entity;  // of the readings waiting in `pending`
    std::vector<Reading> pending;
    const auto flush = [&]() -> Status {
        if (pending.empty()) {
            return Ok{};
        }
        auto message = build(entity, std::move(pending));
        pending.clear();
        if (!message) {
            return message.error();
        }
        out.push_back(std::move(*message));
        return Ok{};
    };
    for (auto& item : schedule) {
        const bool device_reading = item.payload.empty() &&
                                    item.topic == canonical_topic(item.reading) &&
                                    is_device(item.reading.entity);
        if (!pending.empty() && (!device_reading || item.reading.entity != entity ||
                                 item.reading.time != pending.front().time)) {
            if (auto done = flush(); !done) {
                return done.error();
            }
        }
        if (!device_reading) {
            out.push_back(std::move(item));
            continue;
        }
        entity = item.reading.entity;
        pending.push_back(std::move(item.reading));
    }
    if (auto done = flush(); !done) {
        return done.error();
    }
    return out;
}

double spread_of(const std::string& id) {
    std::uint32_t hash = 2166136261U;
    for (const char c : id) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return static_cast<double>(hash % 1000U) / 999.0;
}

}  // namespace passerelle::simulate
