// SPDX-License-Identifier: Apache-2.0
// Inhibitions: while a "source" alert fires (a substation fault), the routed notices leave out
// the "target" alerts it explains (the dwellings too cold in the buildings it serves).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.h"

namespace passerelle::routing {

/// An alert's labels as routes see them: rule, key, entity, building, served_by, provider,
/// severity and the rule's own labels.
using AlertLabels = std::map<std::string, std::string>;

struct Inhibition {
    AlertLabels source;  // the labels a muting alert carries, e.g. {rule: panne-chauffage}
    AlertLabels target;  // the labels a muted alert carries
    /// Labels both alerts must carry with the same value, e.g. [building].
    std::vector<std::string> equal;
    /// The muted alert's entity, or its building, is served by the muting alert's entity (the
    /// registry's served_by).
    bool served = false;
    SourceSpan span;

    bool is_source(const AlertLabels& labels) const;
    /// Whether the alert with `source` labels mutes the one with `target` labels.
    bool mutes(const AlertLabels& source_labels, const AlertLabels& target_labels) const;
};

}  // namespace passerelle::routing
