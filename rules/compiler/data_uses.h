// SPDX-License-Identifier: Apache-2.0
// Which parties' data a notify action carries: traced through the rule's conditions (joins,
// windows, entity attributes), the action's own condition and its templates, so that each flow
// from a provider to a recipient can be checked against the sharing agreements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/agreement.h"
#include "gateway/core/reading.h"
#include "gateway/core/territory.h"
#include "rules/expr/program.h"
#include "rules/template/template.h"

namespace passerelle::rules {

struct SlotLayout;

/// One kind of data an action carries, before the alert's entity is known.
struct DataUse {
    enum class Source : std::uint8_t {
        Reading,            // the reading's provider and entity: its own quantity, or `data`
        Topic,              // a fixed topic: `provider`, `data`, `entity` as written
        EntityAttribute,    // entity.<data> of the reading's entity
        BuildingAttribute,  // building.<data> of the reading's entity's building
    };
    Source source = Source::Reading;
    std::string data;      // Reading: another quantity of the entity (a window); empty: its own
    std::string provider;  // Topic
    std::string entity;    // Topic; empty for a signal
    bool operator==(const DataUse&) const = default;
};

/// What one action carries: the reading, what `conditions` read (the rule's, the action's, the
/// group's member terms), and the registry attributes its `templates` print.
std::vector<DataUse> data_uses(const std::vector<const expr::Program*>& conditions,
                               const std::vector<const Template*>& templates,
                               const SlotLayout& layout);

/// The flows of `uses` for the entity of `reading` (looked up in the registry); `signal` when
/// the reading is a signal's, which belongs to no entity.
std::vector<DataFlow> data_flows(const std::vector<DataUse>& uses, const Reading& reading,
                                 bool signal, const Territory& territory);

/// The attribute names among `uses`.
std::vector<std::string> attributes_read(const std::vector<DataUse>& uses);

}  // namespace passerelle::rules
