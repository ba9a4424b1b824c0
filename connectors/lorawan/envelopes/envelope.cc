// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/envelope.h"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "connectors/lorawan/envelopes/envelope_readers.h"

namespace passerelle::connectors::lorawan {
namespace {

std::vector<std::string_view> levels_of(std::string_view topic) {
    std::vector<std::string_view> levels;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = topic.find('/', start);
        levels.push_back(topic.substr(start, slash - start));
        if (slash == std::string_view::npos) {
            return levels;
        }
        start = slash + 1;
    }
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
    const std::vector<std::string_view> l = levels_of(topic);
    const auto named = [](std::string_view level) {
        return !level.empty() && level != "+" && level != "#";
    };
    if (l.size() == 6 && l[0] == "application" && named(l[1]) && l[2] == "device" && named(l[3]) &&
        l[4] == "event" && l[5] == "up") {
        return NetworkServer::ChirpStack;
    }
    if (l.size() == 5 && l[0] == "v3" && named(l[1]) && l[2] == "devices" && named(l[3]) &&
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
