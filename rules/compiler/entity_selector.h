// SPDX-License-Identifier: Apache-2.0
// Entity selectors (`entities:` in a rule): resolved against the registry when rules load, into the
// sorted ids of the entities whose readings the rule takes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/territory.h"
#include "rules/config/rule_spec.h"

namespace passerelle::rules {

/// Sorted entity ids: membership is a binary search, with no allocation per reading.
class EntitySet {
public:
    explicit EntitySet(std::vector<std::string> ids);
    bool contains(std::string_view id) const;
    std::size_t size() const { return ids_.size(); }
    const std::vector<std::string>& ids() const { return ids_; }

private:
    std::vector<std::string> ids_;
};

/// Whether `entity` matches every field the selector gives.
bool selects(const EntitySelectorSpec& selector, const Entity& entity);

/// The entities of the registry the selector takes. A value that names nothing the registry
/// knows (type, stakeholder, building, entity, tag) is an error with did-you-mean; a selector
/// that takes no entity is a warning (the registry may grow). Nothing on errors.
std::optional<EntitySet> resolve_selector(const EntitySelectorSpec& selector,
                                          const Territory& territory, Diagnostics& diagnostics);

}  // namespace passerelle::rules
