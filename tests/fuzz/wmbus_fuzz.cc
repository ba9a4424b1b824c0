// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as a wireless M-Bus telegram, without a key, with a fixed key,
// and with already-decrypted input accepted; compact layouts learnt along the way. Decoding must
// fail cleanly (an error with a message) or give a telegram whose JSON serialises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "connectors/wmbus/wmbus_decoder.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

void decode_once(std::span<const std::uint8_t> bytes,
                 const passerelle::connectors::wmbus::DecodeOptions& options) {
    auto telegram = passerelle::connectors::wmbus::decode_wireless_telegram(bytes, options);
    if (telegram) {
        // dump() throws on invalid UTF-8: every text the decoder produces must be valid.
        require(!to_json(*telegram).dump().empty());
    } else {
        require(!telegram.error().message.empty());
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle::connectors::wmbus;  // NOLINT(google-build-using-namespace)
    static CompactFormats formats;  // grows with the layouts the fuzzer finds, as in a receiver
    const std::span<const std::uint8_t> bytes(data, size);
    DecodeOptions options;
    options.compact_formats = &formats;
    decode_once(bytes, options);
    options.accept_plaintext = true;
    decode_once(bytes, options);
    options.key = AesKey{};  // all zeros: the decryption paths, with a key that is mostly wrong
    decode_once(bytes, options);
    options.format = FrameFormat::FormatB;
    decode_once(bytes, options);
    return 0;
}
