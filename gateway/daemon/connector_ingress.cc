// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/connector_ingress.h"

#include "connectors/wmbusmeters/meter_adapter.h"
#include "gateway/core/topic.h"

namespace passerelle::daemon {
namespace {

bool matches_any(const std::vector<std::string>& filters, std::string_view topic) {
    for (const auto& filter : filters) {
        if (topic_matches(filter, topic)) {
            return true;
        }
    }
    return false;
}

}  // namespace

ConnectorIngress::ConnectorIngress(const config::ConnectorSettings& settings,
                                   const Territory& territory)
    : settings_(settings), territory_(territory), lorawan_(territory) {
    if (settings_.wmbus) {
        wmbus_ = std::make_unique<connectors::wmbus::MeterAdapter>(
            territory, settings_.wmbus->format_b ? connectors::wmbus::FrameFormat::FormatB
                                                 : connectors::wmbus::FrameFormat::Detect);
    }
}

std::optional<ConnectorOutcome> ConnectorIngress::adapt(std::string_view topic,
                                                        std::string_view payload,
                                                        Timestamp received) {
    const auto one = [](Result<std::optional<DeviceReport>> adapted) {
        ConnectorOutcome outcome;
        if (!adapted) {
            outcome.errors.push_back(adapted.error());
        } else if (*adapted) {
            outcome.reports.push_back(std::move(**adapted));
        } else {
            outcome.duplicate = true;
        }
        return outcome;
    };
    if (wmbus_ && matches_any(settings_.wmbus->topics, topic)) {
        auto report = wmbus_->adapt(payload, topic, received);
        return report ? one(std::optional<DeviceReport>(std::move(*report))) : one(report.error());
    }
    if (matches_any(settings_.wmbusmeters_topics, topic)) {
        auto report = connectors::wmbusmeters::adapt_message(territory_, payload, topic, received);
        return report ? one(std::optional<DeviceReport>(std::move(*report))) : one(report.error());
    }
    if (matches_any(settings_.lorawan_topics, topic)) {
        return one(lorawan_.adapt(topic, payload, received));
    }
    for (const auto& mapping : settings_.json) {
        if (matches_any(mapping.topics, topic)) {
            auto mapped =
                connectors::json::adapt_message(mapping, territory_, topic, payload, received);
            return ConnectorOutcome{std::move(mapped.reports), std::move(mapped.errors), false};
        }
    }
    return std::nullopt;
}

}  // namespace passerelle::daemon
