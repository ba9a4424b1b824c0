// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as a wired M-Bus frame, and as the data records of a frame.
// Decoding must fail cleanly (an error with a message) or give a telegram whose JSON serialises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "connectors/mbus/application_layer.h"
#include "connectors/mbus/mbus_decoder.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle::connectors::mbus;  // NOLINT(google-build-using-namespace)
    const std::span<const std::uint8_t> bytes(data, size);
    auto telegram = decode_wired_frame(bytes);
    if (telegram) {
        // dump() throws on invalid UTF-8: every text the decoder produces must be valid.
        const std::string json = to_json(*telegram).dump();
        require(!json.empty());
        require(record_names(*telegram).size() == telegram->records.size());
    } else {
        require(!telegram.error().message.empty());
    }
    // The record parser alone, without needing a valid frame around the bytes.
    auto records = parse_records(bytes, 0);
    if (records) {
        for (const DataRecord& record : *records) {
            require(record.offset < size);
            require(!record.quantity.empty());
        }
    } else {
        require(records.error().code == "mbus.bad-record");
    }
    return 0;
}
