// SPDX-License-Identifier: Apache-2.0
// Radio telegrams heard by a receiver to the readings of the registry's meters.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "connectors/wmbus/aes.h"
#include "connectors/wmbus/compact_frame.h"
#include "connectors/wmbus/link_layer.h"
#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::wmbus {

/// Decodes each received telegram with its meter's key from the registry, and names its readings
/// for the meter's entity and owner. Keeps what compact frames need between telegrams, so one
/// adapter serves one stream of telegrams, on one thread.
class MeterAdapter {
public:
    /// `territory` must outlive the adapter. Invalid keys were refused when the registry loaded.
    explicit MeterAdapter(const Territory& territory, FrameFormat format = FrameFormat::Detect);

    /// One payload from `source` (the MQTT topic), received at `received`: the readings are
    /// dated by the receiver's time when it gives one. Errors: those of parse_received_telegram
    /// and decode_wireless_telegram; meter.unknown (see mbus::bind_meter) for a meter the
    /// registry does not declare, decoded or not; wmbus.no-key for a declared meter without key.
    Result<DeviceReport> adapt(std::string_view payload, std::string_view source,
                               Timestamp received);

private:
    const Territory& territory_;
    FrameFormat format_;
    std::map<std::string, AesKey, std::less<>> keys_;  // by entity
    CompactFormats compact_formats_;
};

}  // namespace passerelle::connectors::wmbus
