// SPDX-License-Identifier: Apache-2.0
// Passes each uplink on once, though it may arrive several times: heard by several gateways and
// forwarded by two network servers (or through a roaming peer), or redelivered by MQTT (QoS 1,
// reconnections). A server deduplicates its own gateways; this covers what reaches us twice.
//
// Policy. Per device (its DevEUI; for a TTS device without one, its application and device id),
// remember the last `history` accepted uplinks as (fCnt, fingerprint of fPort and payload, time).
// An uplink is a duplicate when one remembered within the last `window` has the same fCnt and
// fingerprint. Consequences:
// - an fCnt not remembered is accepted, lower or higher: a late copy through a slow path that was
//   never seen, and a new session after a rejoin or a device reset (fCnt back to 0), pass;
// - the same fCnt with another payload is a new session that reached that count again: accepted;
// - after `window`, the same fCnt and payload are accepted again: a device rebooting twice sends
//   the same boot frame at fCnt 0, which must not be lost forever. A redelivery later than the
//   window, or after `history` newer uplinks, passes too; it carries its old time.
// Memory is bounded: at most `max_devices` devices, the one heard least recently forgotten first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "connectors/lorawan/envelopes/uplink.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::lorawan {

struct DeduplicatorLimits {
    std::size_t history = 16;  // uplinks remembered per device
    Duration window = std::chrono::minutes(30);
    std::size_t max_devices = 10000;
};

class UplinkDeduplicator {
public:
    explicit UplinkDeduplicator(DeduplicatorLimits limits = {});

    /// True the first time an uplink is seen (pass it on), false for a duplicate. `now` comes
    /// from the injected clock; a clock stepping back only makes entries look younger.
    bool accept(const Uplink& uplink, Timestamp now);

    std::size_t device_count() const { return index_.size(); }

private:
    struct Seen {
        std::uint32_t f_cnt = 0;
        std::uint64_t fingerprint = 0;
        Timestamp at;
    };
    struct Device {
        std::string key;
        std::vector<Seen> seen;  // oldest first, at most limits_.history
    };

    DeduplicatorLimits limits_;
    std::list<Device> devices_;  // most recently heard first
    std::unordered_map<std::string, std::list<Device>::iterator> index_;
};

/// The key a device is deduplicated under: its DevEUI, else "ttn:<application>/<device>".
std::string device_key(const Uplink& uplink);

}  // namespace passerelle::connectors::lorawan
