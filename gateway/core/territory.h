// SPDX-License-Identifier: Apache-2.0
// The parties of a territory and its entities: what rules are checked against when they load.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/agreement.h"
#include "gateway/core/diagnostic.h"
#include "gateway/core/entity.h"
#include "gateway/core/lorawan_device.h"
#include "gateway/core/meter.h"

namespace passerelle {

struct Stakeholder {
    std::string id;    // also its MQTT user name and the level in notify/<id>/…
    std::string name;  // for people: "CCAS de Villeneuve"
    std::string kind;  // bailleur, ccas, ville, dsp-chaleur, eau, energie…
    SourceSpan span;
    std::string contact = "";  // who answers for it: a mail address, a phone number
};

struct Territory {
    std::vector<Stakeholder> stakeholders;
    EntityRegistry entities;
    MeterDirectory meters;      // the entities' `meter:` declarations
    LorawanDirectory lorawan;  // the entities' `lorawan:` declarations
    std::vector<Agreement> agreements;
    /// The registry's `attributes:` declarations, by attribute name.
    std::map<std::string, AttributeDeclaration, std::less<>> attributes;

    /// An entity's attribute as data: its owner (declared, else the entity's provider) and
    /// whether it is personal.
    DataFlow attribute_flow(const Entity& entity, std::string_view name) const {
        DataFlow flow{entity.provider, std::string(name), entity.id, false};
        if (const auto it = attributes.find(name); it != attributes.end()) {
            if (!it->second.owner.empty()) {
                flow.provider = it->second.owner;
            }
            flow.personal = it->second.personal;
        }
        return flow;
    }

    const Stakeholder* find_stakeholder(std::string_view id) const {
        for (const auto& stakeholder : stakeholders) {
            if (stakeholder.id == id) {
                return &stakeholder;
            }
        }
        return nullptr;
    }
    std::vector<std::string> stakeholder_ids() const {
        std::vector<std::string> ids;
        ids.reserve(stakeholders.size());
        for (const auto& stakeholder : stakeholders) {
            ids.push_back(stakeholder.id);
        }
        return ids;
    }
};

}  // namespace passerelle
