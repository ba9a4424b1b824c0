// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as one wmbusmeters JSON message. Parsing must fail cleanly (a
// known code with a message) or give readings whose names are unique topic levels and whose
// decode output and SenML pack serialise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "connectors/wmbusmeters/wmbusmeters_json.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool known_code(const std::string& code) {
    for (const char* known :
         {"wmbusmeters.bad-json", "wmbusmeters.too-deep", "wmbusmeters.not-object",
          "wmbusmeters.not-telegram", "wmbusmeters.missing-id", "wmbusmeters.bad-id"}) {
        if (code == known) {
            return true;
        }
    }
    return false;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle::connectors::wmbusmeters;  // NOLINT(google-build-using-namespace)
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto message = parse_wmbusmeters_json(text);
    if (!message) {
        require(known_code(message.error().code));
        require(!message.error().message.empty());
        return 0;
    }
    require(!message->identity.id.empty());
    std::set<std::string> names;
    for (const MeterReading& reading : message->readings) {
        require(!reading.quantity.empty());
        require(reading.quantity.find('/') == std::string::npos);
        require(names.insert(reading.quantity).second);
    }
    // dump() throws on invalid UTF-8: every text kept must be valid.
    require(!to_json(*message).dump().empty());
    require(senml_pack(*message, message->identity.id + ":").size() == message->readings.size());
    return 0;
}
