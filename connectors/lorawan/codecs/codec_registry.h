// SPDX-License-Identifier: Apache-2.0
// The payload codecs by name, for device configuration and `passerelle decode --codec`. Adding a
// codec: one source file with its decode function, and one line in codec_registry.cc.
#pragma once

#include <span>
#include <string_view>

#include "connectors/lorawan/codecs/payload.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// Decodes one uplink; readings carry their quantity and channel, named by decode_payload.
using DecodeFunction = Result<DecodedPayload> (*)(const PayloadInput& uplink);

struct PayloadCodec {
    std::string_view name;         // "lpp", "elsys", "milesight", "dragino-lht65"
    std::string_view description;  // one line for `--codec list`
    DecodeFunction decode = nullptr;
};

/// Every codec, in the order `--codec list` prints them.
std::span<const PayloadCodec> payload_codecs();

/// The codec called `name`, or nullptr.
const PayloadCodec* find_codec(std::string_view name);

/// Runs `codec` and names its readings (payload.h): the codec's errors, or the readings with
/// their published names.
Result<DecodedPayload> decode_payload(const PayloadCodec& codec, const PayloadInput& uplink);

}  // namespace passerelle::connectors::lorawan
