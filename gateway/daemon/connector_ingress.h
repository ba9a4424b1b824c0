// SPDX-License-Identifier: Apache-2.0
// Field messages that are not canonical yet (radio telegrams, wmbusmeters' JSON) to the device
// reports whose readings the gateway publishes on canonical topics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/json/message_adapter.h"
#include "connectors/lorawan/device_adapter.h"
#include "connectors/wmbus/meter_adapter.h"
#include "gateway/config/settings.h"
#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::daemon {

/// What a connector made of one message: device reports to publish, and errors to dead-letter
/// (device.unknown and meter.unknown once an hour). A JSON message can give both, its good
/// records published and its bad ones reported.
struct ConnectorOutcome {
    std::vector<DeviceReport> reports;
    std::vector<Error> errors;
    bool duplicate = false;  // a LoRaWAN uplink already handled from another copy
};

class ConnectorIngress {
public:
    /// Both must outlive the ingress.
    ConnectorIngress(const config::ConnectorSettings& settings, const Territory& territory);

    /// The filters the connectors subscribe to.
    std::vector<std::string> subscriptions() const { return settings_.topics(); }

    /// Nothing when `topic` is no connector's; otherwise what its connector made of the payload.
    /// The dedicated connectors are asked first, then the JSON mappings in their order.
    std::optional<ConnectorOutcome> adapt(std::string_view topic, std::string_view payload,
                                          Timestamp received);

private:
    const config::ConnectorSettings& settings_;
    const Territory& territory_;
    std::unique_ptr<connectors::wmbus::MeterAdapter> wmbus_;
    connectors::lorawan::DeviceAdapter lorawan_;
};

}  // namespace passerelle::daemon
