// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/envelopes/deduplicator.h"

#include <catch2/catch.hpp>

namespace passerelle::connectors::lorawan {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kStart = Timestamp(std::chrono::hours(24 * 365 * 54));

Uplink uplink(std::string dev_eui, std::uint32_t f_cnt, std::vector<std::uint8_t> payload = {1},
              std::uint8_t f_port = 2) {
    Uplink up;
    up.dev_eui = std::move(dev_eui);
    up.f_cnt = f_cnt;
    up.f_port = f_port;
    up.payload = std::move(payload);
    return up;
}

}  // namespace

TEST_CASE("the same frame through several paths passes once", "[lorawan][dedup]") {
    UplinkDeduplicator dedup;
    Uplink from_chirpstack = uplink("0101010101010101", 7);
    from_chirpstack.network_server = NetworkServer::ChirpStack;
    Uplink from_tts = from_chirpstack;
    from_tts.network_server = NetworkServer::TheThingsStack;
    from_tts.gateways.push_back(GatewayRx{"gtw1", "", -80.0, 3.0, std::nullopt});
    CHECK(dedup.accept(from_chirpstack, kStart));
    CHECK_FALSE(dedup.accept(from_tts, kStart + seconds(1)));         // second server
    CHECK_FALSE(dedup.accept(from_chirpstack, kStart + minutes(5)));  // MQTT redelivery
    CHECK(dedup.accept(uplink("0101010101010101", 8), kStart + minutes(6)));
    CHECK(dedup.accept(uplink("0202020202020202", 7), kStart + minutes(6)));  // another device
    CHECK(dedup.device_count() == 2);
}

TEST_CASE("out of order frames and new sessions pass", "[lorawan][dedup]") {
    UplinkDeduplicator dedup;
    CHECK(dedup.accept(uplink("0101010101010101", 5000), kStart));
    CHECK(dedup.accept(uplink("0101010101010101", 4999), kStart + seconds(1)));  // late path
    // A rejoin: the counter starts again at 0, a much lower fCnt never seen.
    CHECK(dedup.accept(uplink("0101010101010101", 0), kStart + minutes(1)));
    CHECK(dedup.accept(uplink("0101010101010101", 1), kStart + minutes(2)));
    // Another reset within the window: fCnt 1 again, another payload, another frame.
    CHECK(dedup.accept(uplink("0101010101010101", 1, {9}), kStart + minutes(3)));
    CHECK_FALSE(dedup.accept(uplink("0101010101010101", 1, {9}), kStart + minutes(3)));
    // The same port matters: same bytes on another port are another frame.
    CHECK(dedup.accept(uplink("0101010101010101", 1, {9}, 3), kStart + minutes(3)));
}

TEST_CASE("after the window the same frame passes again", "[lorawan][dedup]") {
    UplinkDeduplicator dedup(DeduplicatorLimits{16, minutes(30), 100});
    CHECK(dedup.accept(uplink("0101010101010101", 0, {0xb0, 0x07}), kStart));
    CHECK_FALSE(dedup.accept(uplink("0101010101010101", 0, {0xb0, 0x07}), kStart + minutes(29)));
    // Rebooted an hour later: the same boot frame at fCnt 0 is news.
    CHECK(dedup.accept(uplink("0101010101010101", 0, {0xb0, 0x07}), kStart + minutes(61)));
}

TEST_CASE("memory is bounded per device and in devices", "[lorawan][dedup]") {
    UplinkDeduplicator dedup(DeduplicatorLimits{4, minutes(30), 2});
    for (std::uint32_t f_cnt = 0; f_cnt < 5; ++f_cnt) {
        CHECK(dedup.accept(uplink("0101010101010101", f_cnt), kStart));
    }
    CHECK(dedup.accept(uplink("0101010101010101", 0), kStart));  // forgotten: 4 remembered
    CHECK_FALSE(dedup.accept(uplink("0101010101010101", 4), kStart));
    CHECK(dedup.accept(uplink("0202020202020202", 1), kStart));
    CHECK(dedup.device_count() == 2);
    CHECK(dedup.accept(uplink("0303030303030303", 1), kStart));  // forgets 0101..., least recent
    CHECK(dedup.device_count() == 2);
    CHECK(dedup.accept(uplink("0101010101010101", 4), kStart));
    CHECK_FALSE(dedup.accept(uplink("0303030303030303", 1), kStart));
}

TEST_CASE("a TTS device without DevEUI is known by application and device id", "[lorawan][dedup]") {
    Uplink up = uplink("", 3);
    up.application_id = "app1";
    up.device_name = "dev1";
    CHECK(device_key(up) == "ttn:app1/dev1");
    UplinkDeduplicator dedup;
    CHECK(dedup.accept(up, kStart));
    CHECK_FALSE(dedup.accept(up, kStart));
    up.device_name = "dev2";
    CHECK(dedup.accept(up, kStart));
}

}  // namespace passerelle::connectors::lorawan
