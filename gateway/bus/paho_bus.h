// SPDX-License-Identifier: Apache-2.0
// The Paho MQTT C++ implementation of Bus; the only code of the gateway that includes <mqtt/...>.
#pragma once

// PahoBus itself lives in paho_bus.cc so that no Paho type leaks into other translation units; it
// is created through make_paho_bus (bus.h). Declared here: its pure decisions, for unit tests.

namespace passerelle::bus {

/// Whether a failed CONNECT means "this broker does not speak MQTT 5" (3.1.1 CONNACK return code 1,
/// or MQTT 5 reason code 0x84 Unsupported Protocol Version), so that the bus retries with 3.1.1.
bool is_protocol_version_refusal(int return_code, int reason_code);

/// Whether a Paho error code from publish() is final for that message (malformed topic, bad QoS...)
/// rather than a passing condition (disconnected, Paho's own buffers full) worth retrying.
bool is_permanent_publish_error(int return_code);

}  // namespace passerelle::bus
