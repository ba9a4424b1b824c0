// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/agreement.h"

#include <algorithm>

#include <fmt/format.h>

namespace passerelle {

bool Agreement::names_recipient(std::string_view recipient) const {
    return std::find(to.begin(), to.end(), recipient) != to.end();
}

bool Agreement::covers_data(std::string_view name, bool personal) const {
    return std::any_of(data.begin(), data.end(), [&](const std::string& item) {
        return item == name || (item == "*" && !personal);
    });
}

bool Agreement::covers_entity(std::string_view entity) const {
    if (!entities || entity.empty()) {
        return true;
    }
    return std::binary_search(entities->begin(), entities->end(), entity,
                              [](std::string_view a, std::string_view b) { return a < b; });
}

bool Agreement::valid_at(Timestamp t) const {
    return (!valid_from || t >= *valid_from) && (!valid_until || t < *valid_until);
}

FlowCheck check_flow(const std::vector<Agreement>& agreements, const DataFlow& flow,
                     std::string_view recipient, Timestamp at) {
    if (flow.provider == recipient) {
        return {FlowVerdict::Own, nullptr};
    }
    FlowCheck best;
    for (const Agreement& agreement : agreements) {
        if (agreement.from != flow.provider || !agreement.names_recipient(recipient) ||
            !agreement.covers_data(flow.data, flow.personal) ||
            !agreement.covers_entity(flow.entity)) {
            continue;
        }
        if (agreement.valid_at(at)) {
            return {FlowVerdict::Covered, &agreement};
        }
        // Of the agreements out of their dates, one that is still to start says more than one
        // that has ended: the action comes back by itself.
        const bool later = agreement.valid_from && at < *agreement.valid_from;
        if (later) {
            best = {FlowVerdict::NotYetValid, &agreement};
        } else if (best.verdict == FlowVerdict::Missing) {
            best = {FlowVerdict::Expired, &agreement};
        }
    }
    return best;
}

std::string describe(const DataFlow& flow) {
    const char* personal = flow.personal ? " (personal data)" : "";
    if (flow.entity.empty()) {
        return fmt::format("{}'s {}{}", flow.provider, flow.data, personal);
    }
    return fmt::format("{}'s {}{} of {}", flow.provider, flow.data, personal, flow.entity);
}

}  // namespace passerelle
