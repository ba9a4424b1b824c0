// SPDX-License-Identifier: Apache-2.0
// The entity registry: dwellings, buildings, meters… with their owner and attributes.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/reading.h"

namespace passerelle {

struct Entity {
    std::string id;
    std::string type;      // dwelling, building, substation, water-meter…
    std::string provider;  // the stakeholder that owns the entity and publishes its telemetry
    std::string building;  // empty when not in a building
    std::map<std::string, Value> attributes;  // e.g. vulnerable: true
    SourceSpan span;       // where it is declared
    std::string served_by;  // the entity supplying this one: a building's heat substation
    std::vector<std::string> tags;  // free labels rules select on: rdc, chauffage-collectif…
};

class EntityRegistry {
public:
    /// Adds an entity; false when the id is already taken.
    bool add(Entity entity);
    const Entity* find(std::string_view id) const;
    /// The entities whose `served_by` is `id`, in declaration order.
    std::vector<const Entity*> served_by(std::string_view id) const;
    const std::vector<Entity>& all() const { return entities_; }
    /// Every attribute name used by some entity, for validation and did-you-mean.
    std::vector<std::string> attribute_names() const;
    /// Every tag, type… used by some entity, sorted: what selectors may name.
    std::vector<std::string> tag_names() const;
    std::vector<std::string> type_names() const;

private:
    std::vector<Entity> entities_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace passerelle
