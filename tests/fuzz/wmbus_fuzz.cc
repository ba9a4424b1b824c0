// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as a wireless M-Bus telegram, without a key, with a fixed key,
// and with already-decrypted input accepted; compact layouts learnt along the way. Decoding must
// fail cleanly (an error with a message) or give a telegram whose JSON serialises. The same bytes
// as a receiver's MQTT payload (hex, telegram=|…|, JSON envelope) go through the meter adapter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "connectors/wmbus/meter_adapter.h"
#include "connectors/wmbus/wmbus_decoder.h"
#include "gateway/core/device_report.h"

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

// One declared meter, with an all-zero key, so that lookups succeed now and then.
passerelle::Territory fuzz_territory() {
    passerelle::Territory territory;
    passerelle::Entity entity;
    entity.id = "cpt-fuzz";
    entity.provider = "eau";
    territory.entities.add(entity);
    passerelle::MeterBinding meter;
    meter.id = "12345678";
    meter.entity = "cpt-fuzz";
    meter.key_hex = "00000000000000000000000000000000";
    territory.meters.add(meter);
    return territory;
}

void adapt_once(std::span<const std::uint8_t> bytes) {
    static const passerelle::Territory territory = fuzz_territory();
    static passerelle::connectors::wmbus::MeterAdapter adapter(territory);
    const std::string_view payload(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto report = adapter.adapt(payload, "wmbus/fuzz/telegram", passerelle::Timestamp{});
    if (report) {
        require(!passerelle::encode_device_report(*report).empty());
    } else {
        require(!report.error().message.empty());
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
    adapt_once(bytes);
    return 0;
}
