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

std::optional<Result<std::optional<DeviceReport>>> ConnectorIngress::adapt(std::string_view topic,
                                                                           std::string_view payload,
                                                                           Timestamp received) {
    using Adapted = Result<std::optional<DeviceReport>>;
    const auto wrap = [](Result<DeviceReport> report) -> Adapted {
        if (!report) {
            return report.error();
        }
        return std::optional<DeviceReport>(std::move(*report));
    };
    if (wmbus_ && matches_any(settings_.wmbus->topics, topic)) {
        return wrap(wmbus_->adapt(payload, topic, received));
    }
    if (matches_any(settings_.wmbusmeters_topics, topic)) {
        return wrap(connectors::wmbusmeters::adapt_message(territory_, payload, topic, received));
    }
    if (matches_any(settings_.lorawan_topics, topic)) {
        return lorawan_.adapt(topic, payload, received);
    }
    return std::nullopt;
}

}  // namespace passerelle::daemon
