// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/data_uses.h"

#include <algorithm>
#include <array>

#include "gateway/core/topic.h"
#include "rules/compiler/rule_set.h"

namespace passerelle::rules {
namespace {

void add(std::vector<DataUse>& uses, DataUse use) {
    if (std::find(uses.begin(), uses.end(), use) == uses.end()) {
        uses.push_back(std::move(use));
    }
}

DataUse topic_use(const std::string& topic) {
    auto canonical = parse_canonical_topic(topic);
    if (!canonical) {
        return {DataUse::Source::Topic, topic, "", ""};  // the compiler refused it before
    }
    const bool signal = canonical->kind == TopicKind::Signal;
    return {DataUse::Source::Topic, canonical->quantity, canonical->provider,
            signal ? std::string() : canonical->entity};
}

std::optional<std::size_t> index_of(const std::vector<std::uint32_t>& slots, std::uint32_t slot) {
    const auto it = std::find(slots.begin(), slots.end(), slot);
    return it == slots.end()
               ? std::nullopt
               : std::optional<std::size_t>(static_cast<std::size_t>(it - slots.begin()));
}

// What one evaluation slot reads. The reading's own fields and the calendar carry nothing more
// than the reading; a group function's members are read through the group's terms.
void add_slot(std::vector<DataUse>& uses, std::uint32_t slot, const SlotLayout& layout) {
    if (slot < kBuiltinSlotCount) {
        return;
    }
    if (const std::uint32_t attribute = slot - kBuiltinSlotCount;
        attribute < layout.attribute_names.size()) {
        add(uses, {DataUse::Source::EntityAttribute, layout.attribute_names[attribute], "", ""});
        return;
    }
    if (const auto join = index_of(layout.join_slots, slot)) {
        add(uses, topic_use(layout.join_topics[*join]));
        return;
    }
    if (const auto window = index_of(layout.window_slots, slot)) {
        const WindowSpec& spec = layout.windows[*window];
        add(uses, spec.topic.empty() ? DataUse{DataUse::Source::Reading, spec.quantity, "", ""}
                                     : topic_use(spec.topic));
    }
}

constexpr std::array<std::string_view, 4> kIdentityFields{"id", "type", "provider", "building"};

}  // namespace

std::vector<DataUse> data_uses(const std::vector<const expr::Program*>& conditions,
                               const std::vector<const Template*>& templates,
                               const SlotLayout& layout) {
    std::vector<DataUse> uses{{DataUse::Source::Reading, "", "", ""}};
    for (const expr::Program* program : conditions) {
        for (const expr::SlotRef& ref : program->slots()) {
            add_slot(uses, ref.slot.index, layout);
        }
    }
    // The registry's identity fields (id, type, provider, building) are the territory's shared
    // directory; its attributes are data.
    for (const Template* text : templates) {
        for (const std::string& name : text->placeholders()) {
            constexpr std::string_view kBuilding = "building.";
            if (!name.starts_with(kBuilding)) {
                continue;
            }
            const std::string field = name.substr(kBuilding.size());
            if (std::find(kIdentityFields.begin(), kIdentityFields.end(), field) ==
                kIdentityFields.end()) {
                add(uses, {DataUse::Source::BuildingAttribute, field, "", ""});
            }
        }
    }
    return uses;
}

std::vector<DataFlow> data_flows(const std::vector<DataUse>& uses, const Reading& reading,
                                 bool signal, const Territory& territory) {
    const Entity* entity = signal ? nullptr : territory.entities.find(reading.entity);
    const Entity* building =
        entity == nullptr ? nullptr : territory.entities.find(entity->building);
    std::vector<DataFlow> flows;
    const auto push = [&](DataFlow flow) {
        if (std::find(flows.begin(), flows.end(), flow) == flows.end()) {
            flows.push_back(std::move(flow));
        }
    };
    for (const DataUse& use : uses) {
        switch (use.source) {
            case DataUse::Source::Reading:
                push({reading.provider, use.data.empty() ? reading.quantity : use.data,
                      signal ? std::string() : reading.entity, false});
                break;
            case DataUse::Source::Topic:
                push({use.provider, use.data, use.entity, false});
                break;
            // An attribute the entity does not have carries nothing.
            case DataUse::Source::EntityAttribute:
                if (entity != nullptr && entity->attributes.contains(use.data)) {
                    push(territory.attribute_flow(*entity, use.data));
                }
                break;
            case DataUse::Source::BuildingAttribute:
                if (building != nullptr && building->attributes.contains(use.data)) {
                    push(territory.attribute_flow(*building, use.data));
                }
                break;
        }
    }
    return flows;
}

std::vector<std::string> attributes_read(const std::vector<DataUse>& uses) {
    std::vector<std::string> names;
    for (const DataUse& use : uses) {
        if (use.source == DataUse::Source::EntityAttribute &&
            std::find(names.begin(), names.end(), use.data) == names.end()) {
            names.push_back(use.data);
        }
    }
    return names;
}

}  // namespace passerelle::rules
