// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/envelope.h"

#include <array>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "connectors/lorawan/envelopes/envelope_readers.h"

namespace passerelle::connectors::lorawan {
namespace {

// The uplink topics have 5 or 6 levels: more are not told apart (the count is 7), so that the
// topic of every message is split without an allocation.
struct Levels {
    std::array<std::string_view, 7> level;
    std::size_t count = 0;
};

Levels levels_of(std::string_view topic) {
    Levels levels;
    std::size_t start = 0;
    while (levels.count < levels.level.size()) {
        const std::size_t slash = topic.find('/', start);
        levels.level[levels.count++] = topic.substr(start, slash - start);
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return levels;
}

}  // namespace

// Most uplinks take the scanner's path; those it declines (every invalid one among them) are
// parsed again into a document, whose reader is the reference and words the errors.
Result<Uplink> parse_chirpstack_uplink(std::string_view json) {
    if (std::optional<Uplink> uplink = detail::scan_chirpstack_uplink(json)) {
        return std::move(*uplink);
    }
    return detail::read_chirpstack_uplink(json);
}

Result<Uplink> parse_tts_uplink(std::string_view json) {
    if (std::optional<Uplink> uplink = detail::scan_tts_uplink(json)) {
        return std::move(*uplink);
    }
    return detail::read_tts_uplink(json);
}

std::optional<NetworkServer> network_server_for_topic(std::string_view topic) {
    const Levels levels = levels_of(topic);
    const auto& l = levels.level;
    const std::size_t size = levels.count;
    const auto named = [](std::string_view level) {
        return !level.empty() && level != "+" && level != "#";
    };
    if (size == 6 && l[0] == "application" && named(l[1]) && l[2] == "device" && named(l[3]) &&
        l[4] == "event" && l[5] == "up") {
        return NetworkServer::ChirpStack;
    }
    if (size == 5 && l[0] == "v3" && named(l[1]) && l[2] == "devices" && named(l[3]) &&
        l[4] == "up") {
        return NetworkServer::TheThingsStack;
    }
    return std::nullopt;
}

Result<Uplink> parse_uplink(std::string_view topic, std::string_view json) {
    const std::optional<NetworkServer> server = network_server_for_topic(topic);
    if (!server) {
        return make_error(
            "lorawan.unknown-topic",
            fmt::format("topic '{}' is neither a ChirpStack (application/+/device/+/event/up) nor "
                        "a The Things Stack (v3/+/devices/+/up) uplink topic",
                        topic));
    }
    return *server == NetworkServer::ChirpStack ? parse_chirpstack_uplink(json)
                                                : parse_tts_uplink(json);
}

}  // namespace passerelle::connectors::lorawan
