// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/admission.h"

#include <fmt/format.h>

namespace passerelle::daemon {

Status admit_reading(std::string_view topic, const Reading& reading, const Territory& territory) {
    if (!topic.starts_with("telemetry/")) {
        return Ok{};
    }
    const Entity* entity = territory.entities.find(reading.entity);
    if (entity != nullptr && entity->provider != reading.provider) {
        return make_error("topic.provider-mismatch",
                          fmt::format("entity '{}' belongs to '{}' in the registry, not to '{}'",
                                      reading.entity, entity->provider, reading.provider));
    }
    return Ok{};
}

}  // namespace passerelle::daemon
