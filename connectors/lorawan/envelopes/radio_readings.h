// SPDX-License-Identifier: Apache-2.0
// An uplink's radio metadata as device-health readings, so that the rules that watch any reading
// (staleness, thresholds) also watch how well a LoRaWAN device is heard.
#pragma once

#include <string_view>
#include <vector>

#include "connectors/lorawan/envelopes/uplink.h"
#include "gateway/core/reading.h"

namespace passerelle::connectors::lorawan {

/// For `provider`/`entity`, at the uplink's `received` time or else at `fallback`:
/// - `rssi` in dBm and `snr` in dB, the best over the gateways, when any gateway gave them;
/// - `fcnt` in count, always: a counter that falls back to 0 tells of a rejoin or a reset;
/// - `gateways` in count, the number of gateways that heard the uplink, when the server listed
///   them (a drop from 3 to 1 warns before the signal is lost).
std::vector<Reading> radio_readings(const Uplink& uplink, std::string_view provider,
                                    std::string_view entity, Timestamp fallback);

}  // namespace passerelle::connectors::lorawan
