// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/sharing_loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/core/local_date.h"
#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"
#include "rules/compiler/entity_selector.h"
#include "rules/config/rule_loader.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kAgreementKeys{"id",       "from",    "to",         "data",
                                              "entities", "purpose", "valid_from", "valid_until"};
const std::vector<std::string> kAttributeKeys{"owner", "personal", "description"};

// A scalar or a list of scalars, each checked with `check`; empty (and reported) otherwise.
std::vector<std::string> names_of(MappingReader& reader, const std::string& key) {
    std::vector<std::string> names;
    const YAML::Node node = reader.get(key);
    if (!node) {
        return names;
    }
    const auto add = [&](const YAML::Node& item) {
        if (item.IsScalar() && !item.Scalar().empty()) {
            names.push_back(item.Scalar());
        } else {
            reader.diagnostics().error("config.bad-agreement",
                                       fmt::format("'{}' takes a name or a list of names", key),
                                       span_of(item, reader.file()));
        }
    };
    if (node.IsSequence()) {
        for (const auto& item : node) {
            add(item);
        }
    } else {
        add(node);
    }
    return names;
}

bool check_stakeholder(const Territory& territory, const std::string& id, const SourceSpan& span,
                       Diagnostics& diagnostics) {
    if (territory.find_stakeholder(id) != nullptr) {
        return true;
    }
    diagnostics.error("config.unknown-stakeholder",
                      fmt::format("'{}' is not a declared stakeholder{}", id,
                                  did_you_mean(id, territory.stakeholder_ids())),
                      span);
    return false;
}

// `valid_from: 2026-06-01` is the start of that day; `valid_until: 2027-09-30` covers that day
// to its end, as a convention's dates are read.
std::optional<Timestamp> read_date(MappingReader& reader, const std::string& key, int days_after,
                                   const TimeZone& zone, std::string& text) {
    const auto value = reader.optional_string(key);
    if (!value) {
        return std::nullopt;
    }
    text = *value;
    auto date = local_midnight(*value, zone, days_after);
    if (!date) {
        reader.diagnostics().error(
            "config.bad-date",
            fmt::format("'{}' is a date written YYYY-MM-DD, such as 2027-09-30, not '{}'", key,
                        *value),
            span_of(reader.get(key), reader.file()));
    }
    return date;
}

std::optional<Agreement> read_agreement(const YAML::Node& item, const std::string& file,
                                        const TimeZone& zone, const Territory& territory,
                                        Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(item, file, "agreement", kAgreementKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    Agreement agreement;
    agreement.span = reader.span();
    const auto id = reader.required_string("id");
    const auto from = reader.required_string("from");
    const auto purpose = reader.required_string("purpose");
    if (id && !is_identifier(*id)) {
        diagnostics.error("config.bad-id",
                          fmt::format("agreement id '{}' may only hold letters, digits, '-', '_' "
                                      "and '.'",
                                      *id),
                          span_of(reader.get("id"), file));
    }
    if (from) {
        check_stakeholder(territory, *from, span_of(reader.get("from"), file), diagnostics);
    }
    agreement.to = names_of(reader, "to");
    agreement.data = names_of(reader, "data");
    if (agreement.to.empty()) {
        diagnostics.error("config.bad-agreement", "an agreement needs 'to', who receives the data",
                          agreement.span);
    }
    for (const auto& recipient : agreement.to) {
        check_stakeholder(territory, recipient, span_of(reader.get("to"), file), diagnostics);
        if (from && recipient == *from) {
            diagnostics.error(
                "config.bad-agreement",
                fmt::format("'{}' needs no agreement to receive its own data", recipient),
                span_of(reader.get("to"), file));
        }
    }
    for (const auto& name : agreement.data) {
        if (name != "*" && !is_identifier(name)) {
            diagnostics.error("config.bad-agreement",
                              fmt::format("'{}' is not a quantity, signal or attribute name", name),
                              span_of(reader.get("data"), file));
        }
    }
    if (agreement.data.empty()) {
        diagnostics.error("config.bad-agreement",
                          "an agreement needs 'data': the quantities, signals and attributes it "
                          "shares (e.g. [temperature]), or '*' for all but personal data",
                          agreement.span);
    }
    if (const YAML::Node selector = reader.get("entities")) {
        if (auto spec = rules::read_entity_selector(selector, file, diagnostics)) {
            if (auto resolved = rules::resolve_selector(*spec, territory, diagnostics)) {
                agreement.entities = resolved->ids();
            }
        }
    }
    agreement.valid_from = read_date(reader, "valid_from", 0, zone, agreement.valid_from_text);
    agreement.valid_until = read_date(reader, "valid_until", 1, zone, agreement.valid_until_text);
    if (agreement.valid_from && agreement.valid_until &&
        *agreement.valid_until <= *agreement.valid_from) {
        diagnostics.error("config.bad-date",
                          fmt::format("'valid_until' ({}) is before 'valid_from' ({})",
                                      agreement.valid_until_text, agreement.valid_from_text),
                          span_of(reader.get("valid_until"), file));
    }
    if (!id || !from || !purpose || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    agreement.id = *id;
    agreement.from = *from;
    agreement.purpose = *purpose;
    return agreement;
}

}  // namespace

void read_agreements(const YAML::Node& node, const std::string& file, const TimeZone& zone,
                     Territory& territory, Diagnostics& diagnostics) {
    if (!node.IsSequence()) {
        diagnostics.error("config.bad-agreements", "'agreements' must be a list",
                          span_of(node, file));
        return;
    }
    for (const auto& item : node) {
        auto agreement = read_agreement(item, file, zone, territory, diagnostics);
        if (!agreement) {
            continue;
        }
        const auto same = std::find_if(territory.agreements.begin(), territory.agreements.end(),
                                       [&](const Agreement& a) { return a.id == agreement->id; });
        if (same != territory.agreements.end()) {
            diagnostics.error("config.duplicate-agreement",
                              fmt::format("agreement '{}' is already declared at line {}",
                                          agreement->id, same->span.line),
                              agreement->span);
            continue;
        }
        territory.agreements.push_back(std::move(*agreement));
    }
}

void read_attribute_declarations(const YAML::Node& node, const std::string& file,
                                 Territory& territory, Diagnostics& diagnostics) {
    if (!node.IsMap()) {
        diagnostics.error("config.bad-attributes",
                          "'attributes' maps attribute names to {owner, personal, description}",
                          span_of(node, file));
        return;
    }
    for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        MappingReader reader(entry.second, file, "attribute declaration", kAttributeKeys,
                             diagnostics);
        if (!reader.valid()) {
            continue;
        }
        AttributeDeclaration declaration;
        declaration.span = span_of(entry.first, file);
        declaration.description = reader.optional_string("description").value_or("");
        if (auto owner = reader.optional_string("owner")) {
            if (check_stakeholder(territory, *owner, span_of(reader.get("owner"), file),
                                  diagnostics)) {
                declaration.owner = *owner;
            }
        }
        if (const YAML::Node personal = reader.get("personal")) {
            bool value = false;
            if (!personal.IsScalar() || !YAML::convert<bool>::decode(personal, value)) {
                diagnostics.error("config.bad-attributes", "'personal' is true or false",
                                  span_of(personal, file));
            }
            declaration.personal = value;
        }
        if (const auto it = territory.attributes.find(name); it != territory.attributes.end()) {
            diagnostics.error("config.duplicate-attribute",
                              fmt::format("attribute '{}' is already declared at {}:{}", name,
                                          it->second.span.file, it->second.span.line),
                              declaration.span);
            continue;
        }
        territory.attributes.emplace(name, std::move(declaration));
    }
}

}  // namespace passerelle::config
