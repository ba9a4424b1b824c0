// SPDX-License-Identifier: Apache-2.0
// A process holding one PahoBus connection until it is killed: the Last Will test SIGKILLs it, the
// session takeover test uses it as a second gateway with the same client id.
// Usage: bus_will_helper <url> <client-id> <status-topic>; prints "READY" on each connect and
// "DISCONNECTED: <reason>" on each loss.
#include <cstdio>

#include <unistd.h>

#include "gateway/bus/bus.h"

namespace {

class PrintingHandler final : public passerelle::bus::BusHandler {
public:
    void on_message(passerelle::bus::BusMessage) override {}
    void on_connected(bool) override {
        // The birth message was handed to Paho before this call.
        std::fputs("READY\n", stdout);
        std::fflush(stdout);
    }
    void on_disconnected(std::string reason) override {
        std::printf("DISCONNECTED: %s\n", reason.c_str());
        std::fflush(stdout);
    }
    void on_delivered(std::uint64_t) override {}
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fputs("usage: bus_will_helper <url> <client-id> <status-topic>\n", stderr);
        return 2;
    }
    passerelle::bus::BusOptions options;
    options.url = argv[1];
    options.client_id = argv[2];
    options.will = passerelle::bus::BusMessage{argv[3], "offline", 1, true};
    options.birth = passerelle::bus::BusMessage{argv[3], "online", 1, true};
    PrintingHandler handler;
    auto bus = passerelle::bus::make_paho_bus(options, handler);
    if (!bus) {
        std::fprintf(stderr, "%s\n", bus.error().message.c_str());
        return 3;
    }
    if (!(*bus)->start()) {
        return 3;
    }
    while (true) {
        ::pause();  // until SIGKILL
    }
}
