// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as a ChirpStack and as a The Things Stack uplink envelope.
// Each parser must fail cleanly (a known code with a message) or give an uplink whose identifiers
// are normalised, whose decode output serialises, and which the deduplicator and the radio
// readings accept.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "connectors/lorawan/envelopes/deduplicator.h"
#include "connectors/lorawan/envelopes/envelope.h"
#include "connectors/lorawan/envelopes/radio_readings.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool known_code(const std::string& code) {
    for (const char* known :
         {"lorawan.bad-json", "lorawan.missing-field", "lorawan.bad-field", "lorawan.bad-base64",
          "lorawan.not-uplink", "lorawan.chirpstack-v3"}) {
        if (code == known) {
            return true;
        }
    }
    return false;
}

bool lower_hex(const std::string& text, std::size_t digits) {
    if (text.size() != digits) {
        return false;
    }
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

void check(const passerelle::Result<passerelle::connectors::lorawan::Uplink>& uplink) {
    using namespace passerelle::connectors::lorawan;  // NOLINT(google-build-using-namespace)
    if (!uplink) {
        require(known_code(uplink.error().code));
        require(!uplink.error().message.empty());
        return;
    }
    require(uplink->dev_eui.empty() || lower_hex(uplink->dev_eui, 16));
    require(uplink->dev_addr.empty() || lower_hex(uplink->dev_addr, 8));
    // dump() throws on invalid UTF-8: every text kept must be valid.
    require(!to_json(*uplink).dump().empty());
    UplinkDeduplicator dedup;
    const passerelle::Timestamp now{};
    require(dedup.accept(*uplink, now));
    require(!dedup.accept(*uplink, now));
    require(!radio_readings(*uplink, "p", "e", now).empty());
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle::connectors::lorawan;  // NOLINT(google-build-using-namespace)
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(parse_chirpstack_uplink(text));
    check(parse_tts_uplink(text));
    return 0;
}
