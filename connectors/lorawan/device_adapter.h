// SPDX-License-Identifier: Apache-2.0
// A network server's uplink to the readings of the registry's LoRaWAN device: envelope, duplicate
// check, the device's payload codec, radio metadata.
#pragma once

#include <optional>
#include <string_view>

#include "connectors/lorawan/envelopes/deduplicator.h"
#include "gateway/core/device_report.h"
#include "gateway/core/result.h"
#include "gateway/core/territory.h"

namespace passerelle::connectors::lorawan {

/// The codec name of devices read through their network server's decoded object.
inline constexpr std::string_view kNetworkServerCodec = "network-server";

class DeviceAdapter {
public:
    /// `territory` must outlive the adapter.
    explicit DeviceAdapter(const Territory& territory);

    /// One message on `topic` (a ChirpStack or The Things Stack uplink topic), received at
    /// `received`. Nothing when it repeats an uplink already adapted (another gateway's copy, a
    /// redelivery). The readings are the codec's and the radio's (rssi, snr, fcnt, gateways),
    /// dated by the network server's reception time. An uplink without application payload (MAC
    /// commands only) gives the radio readings alone. A device of codec network-server has its
    /// `fields` read from the server's decoded object (see json::extract_value; the uplink is
    /// refused on the first bad field, its message starting "device <eui> (<entity>): decoded
    /// object: "), and an uplink with a payload but no decoded object is
    /// lorawan.no-decoded-object. Errors: those of parse_uplink and of the device's codec, and
    /// device.unknown: "unknown LoRaWAN device a84041000181c061 (application
    /// 'capteurs'): declare it in the entity registry with lorawan: {dev_eui: ..., codec: ...}".
    Result<std::optional<DeviceReport>> adapt(std::string_view topic, std::string_view payload,
                                              Timestamp received);

    /// Uplinks recognised as repeats so far.
    std::uint64_t duplicates() const { return duplicates_; }

private:
    const Territory& territory_;
    UplinkDeduplicator deduplicator_;
    std::uint64_t duplicates_ = 0;
};

}  // namespace passerelle::connectors::lorawan
