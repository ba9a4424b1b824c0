// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/entity_selector.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "gateway/core/spelling.h"

namespace passerelle::rules {
namespace {

using Values = std::vector<Located<std::string>>;

bool any_is(const Values& values, const std::string& field) {
    return values.empty() || std::any_of(values.begin(), values.end(),
                                         [&](const auto& v) { return v.value == field; });
}

// Every value must be one of `known`, else an error naming `what` with a suggestion.
void check_known(const Values& values, const std::vector<std::string>& known, const char* what,
                 Diagnostics& diagnostics) {
    for (const auto& value : values) {
        if (std::find(known.begin(), known.end(), value.value) == known.end()) {
            diagnostics.error("rules.unknown-selector-value",
                              fmt::format("no {} '{}' in the registry{}", what, value.value,
                                          did_you_mean(value.value, known)),
                              value.span);
        }
    }
}

std::vector<std::string> entity_ids(const Territory& territory) {
    std::vector<std::string> ids;
    for (const auto& entity : territory.entities.all()) {
        ids.push_back(entity.id);
    }
    return ids;
}

}  // namespace

EntitySet::EntitySet(std::vector<std::string> ids) : ids_(std::move(ids)) {
    std::sort(ids_.begin(), ids_.end());
}

bool EntitySet::contains(std::string_view id) const {
    return std::binary_search(ids_.begin(), ids_.end(), id,
                              [](std::string_view a, std::string_view b) { return a < b; });
}

bool selects(const EntitySelectorSpec& selector, const Entity& entity) {
    const bool has_tags =
        std::all_of(selector.tags.begin(), selector.tags.end(), [&](const auto& t) {
            return std::find(entity.tags.begin(), entity.tags.end(), t.value) != entity.tags.end();
        });
    return has_tags && any_is(selector.type, entity.type) &&
           any_is(selector.provider, entity.provider) &&
           any_is(selector.building, entity.building) &&
           any_is(selector.served_by, entity.served_by);
}

std::optional<EntitySet> resolve_selector(const EntitySelectorSpec& selector,
                                          const Territory& territory, Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    const auto ids = entity_ids(territory);
    check_known(selector.type, territory.entities.type_names(), "entity type", diagnostics);
    check_known(selector.provider, territory.stakeholder_ids(), "stakeholder", diagnostics);
    check_known(selector.building, ids, "entity", diagnostics);
    check_known(selector.served_by, ids, "entity", diagnostics);
    check_known(selector.tags, territory.entities.tag_names(), "tag", diagnostics);
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    std::vector<std::string> selected;
    for (const auto& entity : territory.entities.all()) {
        if (selects(selector, entity)) {
            selected.push_back(entity.id);
        }
    }
    if (selected.empty()) {
        diagnostics.warning("rules.selects-nothing",
                            "this selector takes no entity of the registry: the rule will not fire",
                            selector.span);
    }
    return EntitySet(std::move(selected));
}

}  // namespace passerelle::rules
