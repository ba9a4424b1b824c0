// SPDX-License-Identifier: Apache-2.0
// The parties of a territory and its entities: what rules are checked against when they load.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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
