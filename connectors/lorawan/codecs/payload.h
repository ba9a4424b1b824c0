// SPDX-License-Identifier: Apache-2.0
// What a LoRaWAN payload codec gives: readings in SenML units, and notes on what it kept
// differently or skipped. Codecs are pure functions over the uplink's bytes, chosen per device.
//
// Naming. A codec names each reading after its quantity ("temperature", "humidity", "battery")
// and keeps the sensor's channel where the format has one (Cayenne LPP). The published name is
// the plain quantity when the frame holds it once, so a device with one temperature gives
// `temperature` and rules read telemetry/<provider>/<entity>/temperature whatever channel the
// firmware chose; when the frame holds it on several channels, each becomes
// `<quantity>_<channel>` ("temperature_3", "temperature_5", The Things Stack's LPP naming). A
// quantity repeated without a channel keeps its last value, as the vendors' decoders do, with a
// note.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/core/reading.h"

namespace passerelle::connectors::lorawan {

struct CodecReading {
    std::string quantity;  // "temperature", or "temperature_3" after naming (see above)
    Value value = 0.0;
    std::string unit;            // SenML ("Cel", "%RH", "V", "%EL"), empty for counts and states
    std::optional<int> channel;  // the format's channel (LPP), absent where it has none
};

struct DecodedPayload {
    std::vector<CodecReading> readings;
    /// One sentence each: "device information: serial number 6136c40491500011".
    std::vector<std::string> notes;
};

/// One uplink's application payload, and its fPort when the caller knows it (some codecs only
/// accept one port).
struct PayloadInput {
    std::span<const std::uint8_t> bytes;
    std::optional<int> f_port;
};

}  // namespace passerelle::connectors::lorawan
