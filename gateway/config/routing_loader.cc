// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/routing_loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "gateway/core/topic.h"
#include "rules/config/yaml_source.h"

namespace passerelle::config {
namespace {

using routing::Receiver;
using routing::Route;
using routing::RoutingConfig;
using routing::TimeInterval;
using rules::MappingReader;
using rules::span_of;

const std::vector<std::string> kRoutingKeys{"time_intervals", "routes", "inhibit"};
const std::vector<std::string> kInhibitKeys{"source", "target", "equal", "served"};
const std::vector<std::string> kIntervalKeys{"id", "weekdays", "hours", "except_holidays"};
const std::vector<std::string> kRouteKeys{
    "recipient",      "rules",           "match",     "group_by",   "group_wait",
    "group_interval", "repeat_interval", "receivers", "escalation", "fallback"};
const std::vector<std::string> kReceiverKeys{"desk", "during", "outside"};
const std::vector<std::string> kEscalationKeys{"after", "desk"};
const std::vector<std::string> kFallbackKeys{"desk", "after"};
// Topic levels under notify/<recipient>/ that are not desks: where recipients write back.
const std::vector<std::string> kReservedDesks{"ack", "silence", "presence"};

// A scalar or a list of scalars: their texts and nodes.
std::vector<std::pair<std::string, YAML::Node>> scalars_of(const YAML::Node& node,
                                                           const std::string& file,
                                                           const std::string& what,
                                                           Diagnostics& diagnostics) {
    std::vector<std::pair<std::string, YAML::Node>> items;
    if (!node) {
        return items;
    }
    const auto add = [&](const YAML::Node& item) {
        if (item.IsScalar() && !item.Scalar().empty()) {
            items.emplace_back(item.Scalar(), item);
        } else {
            diagnostics.error("config.bad-routing", fmt::format("'{}' takes a list of names", what),
                              span_of(item, file));
        }
    };
    if (node.IsSequence()) {
        for (const auto& item : node) {
            add(item);
        }
    } else {
        add(node);
    }
    return items;
}

// "monday", "lundi", or a range "monday-friday" (which may wrap: "friday-monday").
void read_weekdays(const YAML::Node& node, const std::string& file, TimeInterval& interval,
                   Diagnostics& diagnostics) {
    interval.weekdays = 0;
    for (const auto& [text, item] : scalars_of(node, file, "weekdays", diagnostics)) {
        const auto dash = text.find('-');
        const auto first = routing::parse_weekday(text.substr(0, dash));
        const auto last =
            dash == std::string::npos ? first : routing::parse_weekday(text.substr(dash + 1));
        if (!first || !last) {
            diagnostics.error("config.bad-weekday",
                              fmt::format("'{}' is not a day or a range of days: write monday … "
                                          "sunday (or lundi … dimanche), or monday-friday",
                                          text),
                              span_of(item, file));
            continue;
        }
        for (int day = *first;; day = day % 7 + 1) {
            interval.weekdays |= static_cast<std::uint8_t>(1U << static_cast<unsigned>(day - 1));
            if (day == *last) {
                break;
            }
        }
    }
}

std::optional<TimeInterval> read_interval(const YAML::Node& item, const std::string& file,
                                          Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(item, file, "time interval", kIntervalKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    TimeInterval interval;
    interval.span = reader.span();
    const auto id = reader.required_string("id");
    if (id && !is_identifier(*id)) {
        diagnostics.error("config.bad-id",
                          fmt::format("time interval id '{}' may only hold letters, digits, '-', "
                                      "'_' and '.'",
                                      *id),
                          span_of(reader.get("id"), file));
    }
    if (const YAML::Node weekdays = reader.get("weekdays")) {
        read_weekdays(weekdays, file, interval, diagnostics);
    }
    for (const auto& [text, node] : scalars_of(reader.get("hours"), file, "hours", diagnostics)) {
        if (auto range = routing::parse_day_range(text)) {
            interval.hours.push_back(*range);
        } else {
            diagnostics.error("config.bad-hours",
                              fmt::format("'{}' is not a range of hours: write 08:30-17:30 (24:00 "
                                          "for midnight), the end after the start",
                                          text),
                              span_of(node, file));
        }
    }
    if (const auto holidays = reader.optional_string("except_holidays")) {
        interval.except_holidays = routing::parse_holiday_calendar(*holidays);
        if (!interval.except_holidays) {
            diagnostics.error(
                "config.bad-holidays",
                fmt::format("'except_holidays' is france or alsace-moselle, not '{}'", *holidays),
                span_of(reader.get("except_holidays"), file));
        }
    }
    if (!id || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    interval.id = *id;
    return interval;
}

// A desk is a topic level of its own under notify/<recipient>/.
void check_desk(const std::string& desk, const YAML::Node& node, const std::string& file,
                Diagnostics& diagnostics) {
    if (!is_identifier(desk) ||
        std::find(kReservedDesks.begin(), kReservedDesks.end(), desk) != kReservedDesks.end()) {
        diagnostics.error("config.bad-desk",
                          fmt::format("desk '{}' must be a name of letters, digits, '-', '_' and "
                                      "'.', other than {}",
                                      desk, fmt::join(kReservedDesks, ", ")),
                          span_of(node, file));
    }
}

// `escalation: [{after: 30min, desk: direction}, …]`, each step later than the one before.
void read_escalation(const YAML::Node& node, const std::string& file, Route& route,
                     Diagnostics& diagnostics) {
    if (!node.IsSequence()) {
        diagnostics.error("config.bad-routing",
                          "'escalation' is a list of steps {after: 30min, desk: <desk>}",
                          span_of(node, file));
        return;
    }
    for (const auto& item : node) {
        MappingReader reader(item, file, "escalation step", kEscalationKeys, diagnostics);
        if (!reader.valid()) {
            continue;
        }
        const auto after = reader.optional_duration("after");
        const auto desk = reader.required_string("desk");
        if (!reader.has("after")) {
            diagnostics.error("config.bad-escalation",
                              "an escalation step needs 'after': how long the notice waits for "
                              "an acknowledgement, from its first sending",
                              reader.span());
        }
        if (desk) {
            check_desk(*desk, reader.get("desk"), file, diagnostics);
        }
        if (!after || !desk) {
            continue;
        }
        if (*after <= Duration(0) ||
            (!route.escalation.empty() && *after <= route.escalation.back().after)) {
            diagnostics.error("config.bad-escalation",
                              "each step's 'after' must be longer than the step's before it (and "
                              "than 0): both count from the notice's first sending",
                              span_of(reader.get("after"), file));
        }
        route.escalation.push_back(routing::EscalationStep{*after, *desk, reader.span()});
    }
}

// `fallback: {desk: secours, after: 10min}`: a desk of the recipient itself, since the notices
// carry data shared with the recipient only.
void read_fallback(const YAML::Node& node, const std::string& file, Route& route,
                   Diagnostics& diagnostics) {
    MappingReader reader(node, file, "fallback", kFallbackKeys, diagnostics);
    if (!reader.valid()) {
        return;
    }
    const auto desk = reader.required_string("desk");
    const auto after = reader.optional_duration("after");
    if (!reader.has("after")) {
        diagnostics.error("config.bad-fallback",
                          "a fallback needs 'after': how long a notice may wait for its desk to "
                          "hold a session at the broker",
                          reader.span());
    }
    if (desk) {
        check_desk(*desk, reader.get("desk"), file, diagnostics);
    }
    if (!after || !desk) {
        return;
    }
    if (*after <= Duration(0)) {
        diagnostics.error("config.bad-fallback", "the fallback's 'after' must be longer than 0",
                          span_of(reader.get("after"), file));
    }
    route.fallback = routing::Fallback{*desk, *after, reader.span()};
}

std::optional<Receiver> read_receiver(const YAML::Node& item, const std::string& file,
                                      const RoutingConfig& routing, Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(item, file, "receiver", kReceiverKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    Receiver receiver;
    receiver.span = reader.span();
    receiver.desk = reader.optional_string("desk").value_or("");
    if (!receiver.desk.empty()) {
        check_desk(receiver.desk, reader.get("desk"), file, diagnostics);
    }
    const auto during = reader.optional_string("during");
    const auto outside = reader.optional_string("outside");
    if (during && outside) {
        diagnostics.error("config.bad-receiver",
                          "a receiver takes 'during' or 'outside' an interval, not both",
                          receiver.span);
    }
    if (during || outside) {
        receiver.interval = during ? *during : *outside;
        receiver.outside = !during;
        if (routing.find_interval(receiver.interval) == nullptr) {
            std::vector<std::string> known;
            for (const auto& interval : routing.intervals) {
                known.push_back(interval.id);
            }
            diagnostics.error(
                "config.unknown-interval",
                fmt::format("'{}' is not a time interval of 'time_intervals'{}", receiver.interval,
                            did_you_mean(receiver.interval, known)),
                span_of(reader.get(during ? "during" : "outside"), file));
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return receiver;
}

void read_durations(MappingReader& reader, Route& route) {
    const std::string& file = reader.file();
    if (const auto wait = reader.optional_duration("group_wait")) {
        route.group_wait = *wait;
    }
    if (const auto interval = reader.optional_duration("group_interval")) {
        if (*interval < std::chrono::seconds(1)) {
            reader.diagnostics().error("config.bad-interval",
                                       "'group_interval' must be at least 1s",
                                       span_of(reader.get("group_interval"), file));
        }
        route.group_interval = *interval;
    }
    if (reader.optional_string("repeat_interval") == "never") {
        route.repeat_interval.reset();
    } else if (const auto repeat = reader.optional_duration("repeat_interval")) {
        if (*repeat < std::chrono::minutes(1)) {
            reader.diagnostics().error("config.bad-interval",
                                       "'repeat_interval' must be at least 1min, or never",
                                       span_of(reader.get("repeat_interval"), file));
        }
        route.repeat_interval = *repeat;
    }
}

std::optional<Route> read_route(const YAML::Node& item, const std::string& file,
                                const RoutingConfig& routing, const Territory& territory,
                                Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(item, file, "route", kRouteKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    Route route;
    route.span = reader.span();
    const auto recipient = reader.required_string("recipient");
    if (recipient && territory.find_stakeholder(*recipient) == nullptr) {
        diagnostics.error("config.unknown-stakeholder",
                          fmt::format("'{}' is not a declared stakeholder{}", *recipient,
                                      did_you_mean(*recipient, territory.stakeholder_ids())),
                          span_of(reader.get("recipient"), file));
    }
    for (auto& [name, node] : scalars_of(reader.get("rules"), file, "rules", diagnostics)) {
        route.rules.push_back(name);
    }
    for (auto& [name, node] : scalars_of(reader.get("group_by"), file, "group_by", diagnostics)) {
        route.group_by.push_back(name);
    }
    if (const YAML::Node match = reader.get("match")) {
        if (!match.IsMap()) {
            diagnostics.error("config.bad-routing",
                              "'match' maps labels to values, e.g. {severity: critical}",
                              span_of(match, file));
        } else {
            for (const auto& entry : match) {
                route.match[entry.first.Scalar()] = entry.second.Scalar();
            }
        }
    }
    read_durations(reader, route);
    if (const YAML::Node receivers = reader.get("receivers")) {
        if (!receivers.IsSequence()) {
            diagnostics.error("config.bad-routing", "'receivers' must be a list",
                              span_of(receivers, file));
        } else {
            for (const auto& receiver_node : receivers) {
                if (auto receiver = read_receiver(receiver_node, file, routing, diagnostics)) {
                    route.receivers.push_back(std::move(*receiver));
                }
            }
        }
    }
    if (const YAML::Node escalation = reader.get("escalation")) {
        read_escalation(escalation, file, route, diagnostics);
    }
    if (const YAML::Node fallback = reader.get("fallback")) {
        read_fallback(fallback, file, route, diagnostics);
    }
    if (!recipient || diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    route.recipient = *recipient;
    return route;
}

// {rule: panne-chauffage}: labels and the values an alert must carry.
routing::AlertLabels read_labels(const YAML::Node& node, const std::string& file,
                                 const std::string& what, Diagnostics& diagnostics) {
    routing::AlertLabels labels;
    if (!node.IsMap()) {
        diagnostics.error(
            "config.bad-inhibit",
            fmt::format("'{}' maps labels to values, e.g. {{rule: panne-chauffage}}", what),
            span_of(node, file));
        return labels;
    }
    for (const auto& entry : node) {
        if (!entry.second.IsScalar()) {
            diagnostics.error(
                "config.bad-inhibit",
                fmt::format("label '{}' of '{}' takes one value", entry.first.Scalar(), what),
                span_of(entry.second, file));
            continue;
        }
        labels[entry.first.Scalar()] = entry.second.Scalar();
    }
    return labels;
}

std::optional<routing::Inhibition> read_inhibition(const YAML::Node& item, const std::string& file,
                                                   Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(item, file, "inhibition", kInhibitKeys, diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    routing::Inhibition inhibition;
    inhibition.span = reader.span();
    for (const char* side : {"source", "target"}) {
        if (const YAML::Node labels = reader.get(side)) {
            (std::string(side) == "source" ? inhibition.source : inhibition.target) =
                read_labels(labels, file, side, diagnostics);
        } else {
            diagnostics.error(
                "config.bad-inhibit",
                fmt::format("an inhibition needs '{}': the labels of the alerts "
                            "that {}, e.g. {{rule: {}}}",
                            side, std::string(side) == "source" ? "mute" : "are muted",
                            std::string(side) == "source" ? "panne-chauffage" : "logement-froid"),
                inhibition.span);
        }
    }
    for (auto& [name, node] : scalars_of(reader.get("equal"), file, "equal", diagnostics)) {
        inhibition.equal.push_back(name);
    }
    if (const auto served = reader.optional_string("served")) {
        if (*served != "true" && *served != "false") {
            diagnostics.error("config.bad-inhibit",
                              "'served' is true (the muted alert's entity or building is served "
                              "by the muting alert's entity) or false",
                              span_of(reader.get("served"), file));
        }
        inhibition.served = *served == "true";
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return inhibition;
}

}  // namespace

RoutingConfig read_routing(const YAML::Node& node, const std::string& file,
                           const Territory& territory, Diagnostics& diagnostics) {
    RoutingConfig routing;
    MappingReader reader(node, file, "routing section", kRoutingKeys, diagnostics);
    if (!reader.valid()) {
        return routing;
    }
    const auto list = [&](const char* key) {
        YAML::Node items = reader.get(key);
        if (items && !items.IsSequence()) {
            diagnostics.error("config.bad-routing", fmt::format("'{}' must be a list", key),
                              span_of(items, file));
            return YAML::Node();
        }
        return items;
    };
    if (const YAML::Node intervals = list("time_intervals")) {
        for (const auto& item : intervals) {
            auto interval = read_interval(item, file, diagnostics);
            if (!interval) {
                continue;
            }
            if (const auto* same = routing.find_interval(interval->id)) {
                diagnostics.error("config.duplicate-interval",
                                  fmt::format("time interval '{}' is already declared at line {}",
                                              interval->id, same->span.line),
                                  interval->span);
                continue;
            }
            routing.intervals.push_back(std::move(*interval));
        }
    }
    if (const YAML::Node inhibitions = list("inhibit")) {
        for (const auto& item : inhibitions) {
            if (auto inhibition = read_inhibition(item, file, diagnostics)) {
                routing.inhibitions.push_back(std::move(*inhibition));
            }
        }
    }
    if (const YAML::Node routes = list("routes")) {
        for (const auto& item : routes) {
            if (auto route = read_route(item, file, routing, territory, diagnostics)) {
                routing.routes.push_back(std::move(*route));
            }
        }
    }
    return routing;
}

void check_route_rules(const routing::RoutingConfig& routing, const rules::RuleSet& rule_set,
                       Diagnostics& diagnostics) {
    std::vector<std::string> known;
    for (const auto& rule : rule_set.rules) {
        known.push_back(rule.id);
    }
    for (const auto& route : routing.routes) {
        for (const auto& rule : route.rules) {
            if (std::find(known.begin(), known.end(), rule) == known.end()) {
                diagnostics.warning("routing.unknown-rule",
                                    fmt::format("the route of '{}' names rule '{}', which no rules "
                                                "file defines: it takes nothing of it{}",
                                                route.recipient, rule, did_you_mean(rule, known)),
                                    route.span);
            }
        }
    }
}

}  // namespace passerelle::config
