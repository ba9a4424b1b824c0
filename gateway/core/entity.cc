// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/entity.h"

#include <set>

namespace passerelle {

bool EntityRegistry::add(Entity entity) {
    if (index_.count(entity.id) != 0) {
        return false;
    }
    index_.emplace(entity.id, entities_.size());
    entities_.push_back(std::move(entity));
    return true;
}

const Entity* EntityRegistry::find(std::string_view id) const {
    const auto it = index_.find(std::string(id));
    return it == index_.end() ? nullptr : &entities_[it->second];
}

std::vector<const Entity*> EntityRegistry::served_by(std::string_view id) const {
    std::vector<const Entity*> served;
    for (const auto& entity : entities_) {
        if (entity.served_by == id) {
            served.push_back(&entity);
        }
    }
    return served;
}

std::vector<std::string> EntityRegistry::attribute_names() const {
    std::set<std::string> names;
    for (const auto& entity : entities_) {
        for (const auto& [name, value] : entity.attributes) {
            names.insert(name);
        }
    }
    return {names.begin(), names.end()};
}

std::vector<std::string> EntityRegistry::tag_names() const {
    std::set<std::string> names;
    for (const auto& entity : entities_) {
        names.insert(entity.tags.begin(), entity.tags.end());
    }
    return {names.begin(), names.end()};
}

std::vector<std::string> EntityRegistry::type_names() const {
    std::set<std::string> names;
    for (const auto& entity : entities_) {
        if (!entity.type.empty()) {
            names.insert(entity.type);
        }
    }
    return {names.begin(), names.end()};
}

}  // namespace passerelle
