// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/meter_binding.h"

#include <fmt/format.h>

namespace passerelle::connectors::mbus {

Result<BoundMeter> bind_meter(const Territory& territory, std::string_view id,
                              std::string_view manufacturer, std::string_view medium) {
    const MeterBinding* meter = territory.meters.find(id, manufacturer);
    if (meter == nullptr) {
        return make_error(
            "meter.unknown",
            fmt::format("unknown meter {} ({}, {}): declare it in the entity "
                        "registry with meter: {{id: \"{}\"}} on its entity",
                        id, manufacturer.empty() ? "manufacturer unknown" : manufacturer,
                        medium.empty() ? "medium unknown" : medium, id));
    }
    const Entity* entity = territory.entities.find(meter->entity);
    if (entity == nullptr) {  // the loader binds meters to the entity declaring them
        return make_error("meter.unknown",
                          fmt::format("meter {} is bound to entity '{}', which is not declared", id,
                                      meter->entity));
    }
    return BoundMeter{meter, entity};
}

}  // namespace passerelle::connectors::mbus
