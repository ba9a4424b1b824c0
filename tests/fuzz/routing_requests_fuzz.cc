// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as what recipients publish to the gateway, an acknowledgement
// on notify/<recipient>/ack, a silence on notify/<recipient>/silence or a desk's presence, and
// as such a topic;
// parsing must give a request that holds what the rules say, or an error that says why.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/routing/acknowledgement.h"
#include "gateway/routing/presence.h"
#include "gateway/routing/silence.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace passerelle::routing;  // NOLINT(google-build-using-namespace)
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto ack = parse_acknowledgement("notify/ccas/ack", bytes);
    if (ack) {
        require(ack->recipient == "ccas");
        require(ack->id.size() == 16);
        require(!ack->by.empty() && ack->by.size() <= 200);
        require(ack->comment.size() <= 2000);
    } else {
        require(!ack.error().message.empty());
    }
    const passerelle::Timestamp now(std::chrono::seconds(1'784'000'000));
    const auto silence = parse_silence_request("notify/ccas/silence", bytes, now);
    if (silence && silence->add) {
        require(!silence->add->matchers.empty() && silence->add->recipient == "ccas");
        require(silence->add->ends > now && silence->add->ends - now <= kMaxSilence);
        require(silence_from_json(to_json(*silence->add)).has_value());
    } else if (silence) {
        require(silence->expire.size() == 16 && !silence->author.empty());
    } else {
        require(!silence.error().message.empty());
    }
    const auto presence = parse_presence("notify/ccas/astreinte/presence", bytes);
    require(!presence || presence->receiver() == "ccas/astreinte");
    // The same bytes as a topic: a recipient is one level, never empty; a desk one level too.
    if (const auto desk = parse_presence(bytes, "online")) {
        require(!desk->recipient.empty() && desk->recipient.find('/') == std::string::npos);
        require(desk->desk.find('/') == std::string::npos && desk->online);
        require(is_presence_topic(bytes));
    }
    for (const auto& recipient : {acknowledgement_recipient(bytes), silence_recipient(bytes)}) {
        if (recipient) {
            require(!recipient->empty() && recipient->find('/') == std::string_view::npos);
        }
    }
    return 0;
}
