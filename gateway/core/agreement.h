// SPDX-License-Identifier: Apache-2.0
// Sharing agreements: what one party lets others receive of its data, for what purpose, until
// when. A notification that carries a party's data to another party needs one (DESIGN §5).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/time.h"

namespace passerelle {

struct Agreement {
    std::string id;
    std::string from;             // the provider whose data it shares
    std::vector<std::string> to;  // the recipients
    /// Quantities, signal names and entity attributes; "*" is every quantity, signal and
    /// attribute that is not personal. A personal attribute is covered only when named.
    std::vector<std::string> data;
    /// The entities whose data it covers, sorted; none: every entity of `from`. Signals belong
    /// to no entity: only `data` limits them.
    std::optional<std::vector<std::string>> entities;
    std::string purpose;
    std::optional<Timestamp> valid_from;   // the first instant covered
    std::optional<Timestamp> valid_until;  // the first instant no longer covered
    std::string valid_from_text;           // as written: "2026-06-01"
    std::string valid_until_text;          // as written: "2027-09-30", the last day covered
    SourceSpan span;

    bool names_recipient(std::string_view recipient) const;
    bool covers_data(std::string_view name, bool personal) const;
    bool covers_entity(std::string_view entity) const;
    bool valid_at(Timestamp t) const;
};

/// `attributes:` of an entities file: who an entity attribute belongs to when it is not the
/// entity's provider (the CCAS's `vulnerable` flag on a landlord's dwelling), and whether it is
/// personal data.
struct AttributeDeclaration {
    std::string owner;  // empty: the provider of each entity
    bool personal = false;
    std::string description;
    SourceSpan span;
};

/// One piece of data a notification carries: whose, what, about which entity.
struct DataFlow {
    std::string provider;  // whose data it is
    std::string data;      // quantity, signal name or attribute name
    std::string entity;    // empty for a signal, which belongs to no entity
    bool personal = false;
    bool operator==(const DataFlow&) const = default;
};

enum class FlowVerdict {
    Own,          // the recipient's own data
    Covered,      // an agreement valid at that time covers it
    NotYetValid,  // only agreements that start later would
    Expired,      // only agreements that have ended would
    Missing,      // no agreement would
};

struct FlowCheck {
    FlowVerdict verdict = FlowVerdict::Missing;
    /// Covered: the agreement that allows it. NotYetValid, Expired: the one that would.
    const Agreement* agreement = nullptr;
    bool allowed() const { return verdict == FlowVerdict::Own || verdict == FlowVerdict::Covered; }
};

/// Whether `recipient` may receive `flow` at time `at`: its own data, or an agreement's.
FlowCheck check_flow(const std::vector<Agreement>& agreements, const DataFlow& flow,
                     std::string_view recipient, Timestamp at);

/// "habitat-sud's temperature of hs-a-101", "ville's canicule-level": for messages.
std::string describe(const DataFlow& flow);

}  // namespace passerelle
