// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/reading_names.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace passerelle::connectors::lorawan {

void name_readings(DecodedPayload& payload) {
    // The channels each quantity appears on in this frame.
    std::map<std::string, std::set<int>> channels;
    for (const CodecReading& reading : payload.readings) {
        if (reading.channel) {
            channels[reading.quantity].insert(*reading.channel);
        }
    }
    for (CodecReading& reading : payload.readings) {
        if (reading.channel && channels[reading.quantity].size() > 1) {
            reading.quantity = fmt::format("{}_{}", reading.quantity, *reading.channel);
        }
    }
    // A name seen again later: the earlier reading goes (vendors' decoders overwrite it too).
    // Most frames have none, and keep their readings where they are.
    const auto seen_again = [&](std::size_t i) {
        return std::any_of(payload.readings.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           payload.readings.end(), [&](const CodecReading& other) {
                               return other.quantity == payload.readings[i].quantity;
                           });
    };
    std::size_t first = 0;
    while (first < payload.readings.size() && !seen_again(first)) {
        ++first;
    }
    if (first == payload.readings.size()) {
        return;
    }
    std::vector<CodecReading> kept;
    kept.reserve(payload.readings.size());
    for (std::size_t i = 0; i < payload.readings.size(); ++i) {
        CodecReading& reading = payload.readings[i];
        if (i < first || !seen_again(i)) {
            kept.push_back(std::move(reading));
        } else {
            payload.notes.push_back(
                fmt::format("'{}' appears more than once in the frame: its last value is kept",
                            reading.quantity));
        }
    }
    payload.readings = std::move(kept);
}

}  // namespace passerelle::connectors::lorawan
