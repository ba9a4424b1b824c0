// SPDX-License-Identifier: Apache-2.0
// The uplink envelopes of LoRaWAN network servers, read from their MQTT integrations:
// ChirpStack v4 (`application/<application id>/device/<DevEUI>/event/up`) and The Things Stack v3
// (`v3/<application id>[@<tenant>]/devices/<device id>/up`). Both write protobuf's JSON mapping,
// which omits zero values: an absent `fCnt`/`f_cnt` is 0, see Uplink::f_port for the port.
//
// Errors (each message names the JSON path):
// - lorawan.bad-json: "malformed JSON at byte 12: syntax error while parsing object - ...",
//   "JSON nested deeper than 32 levels", "an envelope is a JSON object, this is an array"
// - lorawan.missing-field: "no 'deviceInfo.devEui': a ChirpStack uplink names its device"
// - lorawan.bad-field: "'fPort' must be an integer from 0 to 255, got number 300"
// - lorawan.bad-base64: "invalid base64 character '%' at position 12 of 'data'" (decode_base64)
// - lorawan.not-uplink: "no 'uplink_message': this The Things Stack message is a 'join_accept'"
// - lorawan.chirpstack-v3: "ChirpStack v3 JSON ('devEUI', no 'deviceInfo'): ..."
// - lorawan.unknown-topic (parse_uplink only)
#pragma once

#include <optional>
#include <string_view>

#include "connectors/lorawan/envelopes/uplink.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::lorawan {

/// A ChirpStack v4 `up` event. deviceInfo.devEui is required; an event with neither `rxInfo`,
/// `txInfo` nor `data` (join, status, log...) is lorawan.not-uplink.
Result<Uplink> parse_chirpstack_uplink(std::string_view json);

/// A The Things Stack v3 uplink message. end_device_ids.device_id is required; a message without
/// `uplink_message` (join accept, downlink events...) is lorawan.not-uplink.
Result<Uplink> parse_tts_uplink(std::string_view json);

/// The server whose uplink topic this is: `application/+/device/+/event/up` is ChirpStack,
/// `v3/+/devices/+/up` The Things Stack. Nothing for other topics, including those servers'
/// other events (`.../event/join`, `.../join`).
std::optional<NetworkServer> network_server_for_topic(std::string_view topic);

/// Parses with the parser the topic calls for; lorawan.unknown-topic: "topic 'a/b' is neither a
/// ChirpStack (application/+/device/+/event/up) nor a The Things Stack (v3/+/devices/+/up) uplink
/// topic".
Result<Uplink> parse_uplink(std::string_view topic, std::string_view json);

}  // namespace passerelle::connectors::lorawan
