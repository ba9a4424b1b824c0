// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary bytes as an acknowledgement published on notify/<recipient>/ack, and
// as such a topic; parsing must give an acknowledgement that holds what the rules say, or an
// error that says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/routing/acknowledgement.h"

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
    // The same bytes as a topic: a recipient is one level, never empty.
    if (const auto recipient = acknowledgement_recipient(bytes)) {
        require(!recipient->empty() && recipient->find('/') == std::string_view::npos);
    }
    return 0;
}
