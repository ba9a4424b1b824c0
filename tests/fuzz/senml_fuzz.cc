// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as the payload of a canonical topic, then the recorded-reading
// form; decoding must fail cleanly or give readings that encode and decode back to themselves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/core/senml.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle;  // NOLINT(google-build-using-namespace)
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    const Timestamp now = *timestamp_from_epoch_seconds(1784000000.0);
    auto readings = decode_canonical("telemetry/p/e/temperature", payload, now);
    if (readings) {
        for (const Reading& reading : *readings) {
            auto again = decode_canonical("telemetry/p/e/temperature", encode_senml(reading), now);
            require(again.has_value() && again->size() == 1);
            require(again->front().time == reading.time);
            require(again->front().value.index() == reading.value.index());
        }
    } else {
        require(!readings.error().message.empty());
    }
    static_cast<void>(decode_recorded_reading(payload));
    return 0;
}
