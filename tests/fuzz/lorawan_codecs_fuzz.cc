// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as one LoRaWAN payload, through every registered codec. Each
// must fail cleanly (a code of its own with a message) or give readings with unique names that
// are topic levels, finite values, SenML units, and a decode output that serialises.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>
#include <string>
#include <variant>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "gateway/core/units.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace lorawan = passerelle::connectors::lorawan;
    const std::span<const std::uint8_t> bytes(data, size);
    for (const lorawan::PayloadCodec& codec : lorawan::payload_codecs()) {
        auto decoded = lorawan::decode_payload(codec, lorawan::PayloadInput{bytes, std::nullopt});
        if (!decoded) {
            require(decoded.error().code.rfind(std::string(codec.name) + ".", 0) == 0);
            require(!decoded.error().message.empty());
            continue;
        }
        std::set<std::string> names;
        for (const lorawan::CodecReading& reading : decoded->readings) {
            require(!reading.quantity.empty());
            require(reading.quantity.find_first_of("/+#") == std::string::npos);
            require(names.insert(reading.quantity).second);
            require(reading.unit.empty() || passerelle::is_senml_unit(reading.unit));
            if (const auto* number = std::get_if<double>(&reading.value)) {
                require(std::isfinite(*number));
            }
        }
        // dump() throws on invalid UTF-8: every text kept must be valid.
        require(!lorawan::to_json(codec.name, *decoded).dump().empty());
    }
    return 0;
}
