// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/deduplicator.h"

#include <algorithm>

namespace passerelle::connectors::lorawan {
namespace {

// FNV-1a over the port and the payload: the same frame decrypts to the same bytes on every path.
std::uint64_t fingerprint(const Uplink& uplink) {
    constexpr std::uint64_t kPrime = 0x100000001b3U;
    std::uint64_t hash = 0xcbf29ce484222325U;
    hash = (hash ^ uplink.f_port.value_or(0)) * kPrime;  // absent is port 0 on both servers
    for (const std::uint8_t byte : uplink.payload) {
        hash = (hash ^ byte) * kPrime;
    }
    return hash;
}

}  // namespace

std::string device_key(const Uplink& uplink) {
    if (!uplink.dev_eui.empty()) {
        return uplink.dev_eui;
    }
    return "ttn:" + uplink.application_id + "/" + uplink.device_name;
}

UplinkDeduplicator::UplinkDeduplicator(DeduplicatorLimits limits) : limits_(limits) {
    limits_.history = std::max<std::size_t>(limits_.history, 1);
    limits_.max_devices = std::max<std::size_t>(limits_.max_devices, 1);
}

bool UplinkDeduplicator::accept(const Uplink& uplink, Timestamp now) {
    std::string key = device_key(uplink);
    auto found = index_.find(key);
    if (found == index_.end()) {
        if (index_.size() >= limits_.max_devices) {
            index_.erase(devices_.back().key);
            devices_.pop_back();
        }
        devices_.push_front(Device{key, {}});
        found = index_.emplace(std::move(key), devices_.begin()).first;
    } else {
        devices_.splice(devices_.begin(), devices_, found->second);  // now the most recent
    }
    Device& device = *found->second;
    const std::uint64_t print = fingerprint(uplink);
    const bool duplicate =
        std::any_of(device.seen.begin(), device.seen.end(), [&](const Seen& seen) {
            return seen.f_cnt == uplink.f_cnt && seen.fingerprint == print &&
                   now - seen.at < limits_.window;
        });
    if (duplicate) {
        return false;
    }
    if (device.seen.size() >= limits_.history) {
        device.seen.erase(device.seen.begin());
    }
    device.seen.push_back(Seen{uplink.f_cnt, print, now});
    return true;
}

}  // namespace passerelle::connectors::lorawan
