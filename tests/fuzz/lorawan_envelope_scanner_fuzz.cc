// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry, differential: arbitrary bytes through the envelope scanner and through
// nlohmann::json, which must agree. As JSON, the scanner accepts exactly what nlohmann accepts
// (bar nesting deeper than the envelopes' limit, a leading byte order mark and a NUL byte, which
// nlohmann reads as the end of the text). As a ChirpStack or The Things Stack envelope, the
// scanner's uplink, when it gives one, is the DOM reader's, field for field; it gives none when
// the DOM reader refuses the envelope.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "connectors/lorawan/envelopes/envelope_readers.h"
#include "connectors/lorawan/envelopes/json_fields.h"
#include "connectors/lorawan/envelopes/json_scanner.h"
#include "gateway/core/json_depth.h"

namespace {

namespace detail = passerelle::connectors::lorawan::detail;

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

template <typename Scan, typename Read>
void check_same(std::string_view text, Scan scan, Read read) {
    const auto scanned = scan(text);
    const auto dom = read(text);
    if (!dom) {
        require(!scanned);
    } else if (scanned) {
        require(to_json(*scanned) == to_json(*dom));
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const bool scanner_accepts = detail::is_valid_json(text, detail::kMaxEnvelopeDepth);
    if (passerelle::json_nesting_within(text, detail::kMaxEnvelopeDepth)) {
        const bool nlohmann_accepts = nlohmann::json::accept(text);
        if (scanner_accepts) {
            require(nlohmann_accepts);
        } else if (nlohmann_accepts) {
            require(text.starts_with("\xef\xbb\xbf") || text.find('\0') != std::string_view::npos);
        }
    } else {
        require(!scanner_accepts);
    }
    check_same(text, detail::scan_chirpstack_uplink, detail::read_chirpstack_uplink);
    check_same(text, detail::scan_tts_uplink, detail::read_tts_uplink);
    return 0;
}
