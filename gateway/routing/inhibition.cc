// SPDX-License-Identifier: Apache-2.0
#include "gateway/routing/inhibition.h"

#include <algorithm>

namespace passerelle::routing {
namespace {

std::string label(const AlertLabels& labels, const std::string& name) {
    const auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
}

bool carries(const AlertLabels& labels, const AlertLabels& wanted) {
    return std::all_of(wanted.begin(), wanted.end(),
                       [&](const auto& pair) { return label(labels, pair.first) == pair.second; });
}

}  // namespace

bool Inhibition::is_source(const AlertLabels& labels) const {
    return carries(labels, source);
}

bool Inhibition::mutes(const AlertLabels& source_labels, const AlertLabels& target_labels) const {
    if (!carries(source_labels, source) || !carries(target_labels, target)) {
        return false;
    }
    // An alert never mutes itself, even when it is both kinds.
    const std::string key = label(source_labels, "key");
    if (!key.empty() && key == label(target_labels, "key") &&
        label(source_labels, "rule") == label(target_labels, "rule")) {
        return false;
    }
    for (const auto& name : equal) {
        const std::string value = label(source_labels, name);
        if (value.empty() || value != label(target_labels, name)) {
            return false;
        }
    }
    if (served) {
        const std::string supplier = label(source_labels, "entity");
        if (supplier.empty() || label(target_labels, "served_by") != supplier) {
            return false;
        }
    }
    return true;
}

}  // namespace passerelle::routing
