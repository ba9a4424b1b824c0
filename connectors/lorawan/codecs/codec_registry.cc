// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/codec_registry.h"

#include <array>

#include "connectors/lorawan/codecs/cayenne_lpp.h"
#include "connectors/lorawan/codecs/dragino_lht65.h"
#include "connectors/lorawan/codecs/elsys.h"
#include "connectors/lorawan/codecs/milesight.h"
#include "connectors/lorawan/codecs/reading_names.h"

namespace passerelle::connectors::lorawan {
namespace {

constexpr auto kCodecs = std::to_array<PayloadCodec>({
    {"lpp", "Cayenne LPP: channel, type, big-endian value; the myDevices table and its extensions",
     decode_cayenne_lpp},
    {"elsys", "Elsys ERS, ERS CO2, ELT, EMS: type then big-endian value, no length", decode_elsys},
    {"milesight",
     "Milesight channel/type records, little-endian: EM300-TH, EM320-TH, AM10x (TH, CO2, TVOC...)",
     decode_milesight},
    {"dragino-lht65", "Dragino LHT65 on fPort 2: battery, SHT temperature and humidity, probe",
     decode_dragino_lht65},
});

}  // namespace

std::span<const PayloadCodec> payload_codecs() {
    return kCodecs;
}

const PayloadCodec* find_codec(std::string_view name) {
    for (const PayloadCodec& codec : kCodecs) {
        if (codec.name == name) {
            return &codec;
        }
    }
    return nullptr;
}

Result<DecodedPayload> decode_payload(const PayloadCodec& codec, const PayloadInput& uplink) {
    auto decoded = codec.decode(uplink);
    if (decoded) {
        name_readings(*decoded);
    }
    return decoded;
}

}  // namespace passerelle::connectors::lorawan
